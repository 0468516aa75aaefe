import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Flags for a machine without outside network: nothing phones home, a fresh profile every run. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error("chromium is missing: run as root 'apt-get install -y chromium' (scripts/ensure-deps.sh does, as npm test runs it)");
  }
}

/** A headless Debian chromium driven by puppeteer-core (no browser download), with a user data dir of its own. */
export class Chromium {
  private constructor(
    readonly browser: Browser,
    private readonly userDataDir: string,
  ) {}

  static async launch(): Promise<Chromium> {
    const executablePath = chromiumPath();
    const userDataDir = mkdtempSync(join(tmpdir(), 'au-chromium-'));
    try {
      // 'shell' makes puppeteer pass plain --headless.
      const browser = await puppeteer.launch({ executablePath, headless: 'shell', userDataDir, args: FLAGS });
      return new Chromium(browser, userDataDir);
    } catch (error) {
      rmSync(userDataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Closes the browser (its processes end) and removes its profile. */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
