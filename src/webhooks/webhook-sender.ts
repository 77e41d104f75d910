import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { request as plainRequest, Agent as PlainAgent } from 'node:http';
import { rootCertificates } from 'node:tls';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { webhooksConfig } from '../config/webhooks.config.js';
import { checkedLookup, checkTargetUrl, RefusedTargetError } from './target-policy.js';

/** Response bodies are kept to this many bytes in the delivery log. */
const KEPT_BODY_BYTES = 1024;

/** One attempt's outcome. */
export type AttemptResult =
  | { outcome: 'response'; statusCode: number; body: string }
  | { outcome: 'refused'; error: string }
  | { outcome: 'error'; error: string };

export interface Attempt {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one signed attempt: POST, no redirects followed (a 3xx is a
 * failure), one time-out for the whole exchange, the response body read up to
 * 1 KB. The target is checked before the connection (`checkTargetUrl`) and its
 * resolved address as the socket connects (`checkedLookup`).
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly agent: Agent;
  private readonly plainAgent: PlainAgent;
  private readonly lookup: ReturnType<typeof checkedLookup>;

  constructor(@Inject(webhooksConfig.KEY) private readonly config: ConfigType<typeof webhooksConfig>) {
    this.lookup = checkedLookup(config.allowPrivateTargets);
    // A test's own certificate authority joins the system's (refused in production by the configuration).
    const ca = config.tlsCaFile ? [...rootCertificates, readFileSync(config.tlsCaFile, 'utf8')] : undefined;
    this.agent = new Agent({ keepAlive: true, maxSockets: 64, ca });
    this.plainAgent = new PlainAgent({ keepAlive: true, maxSockets: 64 });
  }

  onModuleDestroy(): void {
    this.agent.destroy();
    this.plainAgent.destroy();
  }

  send(attempt: Attempt): Promise<AttemptResult> {
    let url: URL;
    try {
      url = new URL(attempt.url);
      checkTargetUrl(url, this.config.allowPrivateTargets);
    } catch (error) {
      return Promise.resolve(
        error instanceof RefusedTargetError
          ? { outcome: 'refused', error: error.message }
          : { outcome: 'refused', error: 'Not a valid URL' },
      );
    }
    return new Promise((resolve) => {
      const https = url.protocol === 'https:';
      let settled = false;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = (https ? request : plainRequest)(url, {
        method: 'POST',
        agent: https ? this.agent : this.plainAgent,
        lookup: this.lookup,
        headers: {
          ...attempt.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(attempt.body).toString(),
        },
      });
      const timer = setTimeout(() => {
        req.destroy(new Error(`No complete response within ${this.config.timeoutMs} ms`));
      }, this.config.timeoutMs);
      req.on('error', (error: Error & { code?: string }) => {
        const cause = (error as { cause?: unknown }).cause;
        const refused =
          error instanceof RefusedTargetError || cause instanceof RefusedTargetError || error.code === 'EWEBHOOKTARGET';
        finish(
          refused
            ? { outcome: 'refused', error: error.message }
            : { outcome: 'error', error: error.message || String(error.code) },
        );
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const answered = () =>
          finish({
            outcome: 'response',
            statusCode: res.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, KEPT_BODY_BYTES).toString('utf8'),
          });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          kept += chunk.length;
          // Enough to keep: the rest of an endless body must not hold the slot until the time-out.
          if (kept >= KEPT_BODY_BYTES) {
            answered();
            res.destroy();
          }
        });
        res.on('end', answered);
        res.on('error', (error) => finish({ outcome: 'error', error: error.message }));
        // Cut off mid-body (the time-out, a reset): no 'end'.
        res.on('close', () => finish({ outcome: 'error', error: 'The response was cut off' }));
      });
      req.end(attempt.body);
    });
  }
}
