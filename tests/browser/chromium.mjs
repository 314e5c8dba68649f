// Debian's Chromium (never a browser playwright downloads), headless and quiet: what every
// browser test launches.
import { chromium } from "playwright-core";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Launches /usr/bin/chromium through playwright-core; the caller closes it. */
export function launchChromium() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
}
