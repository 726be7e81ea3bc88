// The frame every page shares: the product name (home link) and the main area.
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Slimstage",
  description: "How much smaller is your Go image multi-stage — and does the small one still work?",
  // Static files in public/: the PNGs and the .ico are icon.svg rasterised; the manifest names them too.
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icon.svg", type: "image/svg+xml", sizes: "any" },
    ],
    apple: [{ url: "/apple-touch-icon.png", sizes: "180x180" }],
  },
  manifest: "/site.webmanifest",
};

// The accent colour of app/globals.css (--accent), as in public/site.webmanifest.
export const viewport: Viewport = { themeColor: "#0b63ce" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <a href="/" className="brand">
            Slimstage
          </a>
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
