// The review page (dist/web/) in Debian's headless Chromium, served by
// `driftwatch review`'s server in this process; a browser is never downloaded.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startReviewServer, type ReviewServer, type ReviewServerOptions } from '../../edge/commands/review.js';
import { repoPath } from './paths.js';

export const CHROMIUM = '/usr/bin/chromium';
// Without the networking flags Chromium tries to reach Google's hosts, which this machine's network refuses.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Promise<Browser> | undefined;

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's Chromium with \`apt-get install chromium\` (.ci/run does)`);
  browser ??= chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  return browser;
}

export async function closeChromium(): Promise<void> {
  const open = browser;
  browser = undefined;
  await (await open)?.close();
}

export interface OpenPage {
  page: Page;
  server: ReviewServer;
  /** Errors the page or its worker reported. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openReviewPage(options: Omit<ReviewServerOptions, 'webRoot'> = {}): Promise<OpenPage> {
  const server = await startReviewServer({ ...options, webRoot: repoPath('dist/web') });
  const page = await (await launchChromium()).newPage({ viewport: { width: 1240, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
  await page.goto(server.url);
  return { page, server, pageErrors, close: async () => { await page.close(); await server.close(); } };
}

/** What the page exposes as window.__driftwatch (web/review-state.ts), once the worker is done. */
export interface PageResults {
  frames: Array<{ index: number; name: string; width: number; height: number; decoder: string; features: Record<string, number>; histograms: { luma: number[]; hue: number[] } }>;
  errors: Array<{ index: number; name: string; message: string }>;
  alerts: Array<{ frame: number; state: string; cause: string; causeRevised: boolean; id: string; camera: string; features: string[] }>;
  checks: unknown[];
  fatal: string | null;
}

export async function waitForResults(open: OpenPage, timeoutMs = 120_000): Promise<PageResults> {
  try {
    await open.page.waitForFunction(() => {
      const state = (window as unknown as { __driftwatch?: { done: boolean; fatal: string | null } }).__driftwatch;
      return Boolean(state && (state.done || state.fatal));
    }, undefined, { timeout: timeoutMs, polling: 200 });
  } catch (error) {
    const status = await open.page.textContent('#status-text').catch(() => '?');
    throw new Error(`the page did not finish: ${(error as Error).message}; status: ${status}; page errors: ${open.pageErrors.join(' | ')}`);
  }
  const results = await open.page.evaluate(() => {
    const s = (window as unknown as { __driftwatch: PageResultsInPage }).__driftwatch;
    return { frames: s.frames, errors: s.errors, alerts: s.alerts, checks: s.checks, fatal: s.fatal };
  }) as PageResults;
  if (results.fatal) throw new Error(`the page stopped: ${results.fatal}`);
  return results;
}

// The same shape, named for the page-side function (it cannot import).
type PageResultsInPage = PageResults;
