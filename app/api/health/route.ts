// Is the app able to work: database and build workers. Details only with the admin token.
import { NextResponse } from "next/server";
import { checkHealth, publicHealth } from "@/lib/health";
import { bearerOf, isAdmin } from "@/lib/comparisons/owners";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const { db, config } = web();
  const health = await checkHealth(db);
  const admin = isAdmin(bearerOf(request.headers), config.adminToken);
  return NextResponse.json(admin ? health : publicHealth(health), { status: health.ok ? 200 : 503 });
}
