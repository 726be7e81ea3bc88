// The frame every page shares: the product name (home link) and the main area.
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Slimstage",
  description: "How much smaller is your Go image multi-stage — and does the small one still work?",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Slimstage
          </Link>
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
