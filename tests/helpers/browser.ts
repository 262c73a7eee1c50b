/**
 * A real browser for journeys: playwright-core driving the system's Chromium (CI installs Debian's
 * `chromium` package; nothing is ever downloaded). Each launch gets a fresh, empty profile: Playwright's
 * `launch` creates a new temporary user data dir and removes it on close (it refuses `--user-data-dir`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Route } from 'playwright-core';

/** Where Debian's package puts it; CHROMIUM_PATH overrides it on other systems. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = path.join(__dirname, '..', 'browser', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox: CI runs as root in a container. The rest keeps Chromium from reaching the network on its own.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface BrowserPages {
  /** A page in a context of its own (its own cookies), closed with the rest. */
  newPage(options: BrowserContextOptions): Promise<Page>;
  /** Closes every context, then the browser. */
  close(): Promise<void>;
}

/** The browser a journey file shares between its tests, handing out pages with their own cookies. */
export async function launchPages(): Promise<BrowserPages> {
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    async newPage(options) {
      const context = await browser.newContext(options);
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close()));
      await browser.close();
    },
  };
}

export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };

export interface Journey {
  /** Runs one named step; a failure is rethrown as `<journey>: step "<name>" failed: ...` with a screenshot. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Saves a full-page screenshot as `<journey>-<n>-<name>.png`. */
  shot(name: string, page?: Page): Promise<void>;
}

const fileSafe = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export function journey(name: string, page: Page): Journey {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  let n = 0;
  const shot = async (what: string, p: Page = page) => {
    n += 1;
    await p.screenshot({
      path: path.join(SCREENSHOT_DIR, `${fileSafe(name)}-${String(n).padStart(2, '0')}-${fileSafe(what)}.png`),
      fullPage: true,
      scale: 'css',
    });
  };
  return {
    shot,
    async step(stepName, fn) {
      try {
        return await fn();
      } catch (err) {
        await shot(`FAILED-${stepName}`).catch(() => undefined);
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(`${name}: step "${stepName}" failed: ${message}`, { cause: err });
      }
    },
  };
}

/** Logs in through the login form the way a reader does. */
export async function logInThroughForm(page: Page, baseUrl: string, username: string, password = `${username}-password`): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText(`Signed in as ${username}`).waitFor();
}

/** Holds the page's requests to exactly `url` until release(), then lets them through. */
export async function holdRequestsTo(page: Page, url: string): Promise<{ release(): Promise<void> }> {
  const waiting: Route[] = [];
  let held = true;
  const handler = (route: Route) => (held ? void waiting.push(route) : route.continue());
  await page.route(url, handler);
  return {
    async release() {
      held = false;
      await Promise.all(waiting.splice(0).map((r) => r.continue()));
      await page.unroute(url, handler);
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

const axeSource = () => fs.readFileSync(require.resolve('axe-core'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now, all rules or only `rules`
 * (a second pass in the other colour scheme needs only `color-contrast`). The page's context should
 * bypass CSP (the injected script is inline); journeys keep CSP on so they prove the real scripts run.
 */
export async function seriousA11yViolations(page: Page, rules?: string[]): Promise<AxeViolation[]> {
  if (!(await page.evaluate("typeof axe !== 'undefined'"))) await page.addScriptTag({ content: axeSource() });
  const options = rules ? { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] } : { resultTypes: ['violations'] };
  const violations = (await page.evaluate(
    `axe.run(document, ${JSON.stringify(options)}).then((r) => r.violations.map((v) => ({
       id: v.id, impact: v.impact, help: v.help,
       nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A short, readable list for a failure message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  at ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`,
    )
    .join('\n');
}
