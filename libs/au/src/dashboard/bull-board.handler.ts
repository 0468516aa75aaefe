import type { Queue } from 'bull';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Node request handler in Express' shape: bull-board's Express app. */
export type DashboardHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * bull-board over the given queues, as its Express app: its pages and API under `basePath` (the URLs it writes into
 * the page), routed from `/`. Both HTTP platforms hand it Node's request and response (dashboard controller).
 */
export function createBullBoardHandler(basePath: string, queues: Queue[]): DashboardHandler {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the dashboard is on */
  const { createBullBoard } = require('@bull-board/api') as typeof import('@bull-board/api');
  const { BullAdapter } = require('@bull-board/api/bullAdapter') as typeof import('@bull-board/api/bullAdapter');
  const { ExpressAdapter } = require('@bull-board/express') as typeof import('@bull-board/express');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({ queues: queues.map((queue) => new BullAdapter(queue)), serverAdapter, options: { uiConfig: { boardTitle: 'au' } } });
  return serverAdapter.getRouter() as unknown as DashboardHandler;
}
