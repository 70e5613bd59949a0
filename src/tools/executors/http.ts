// The http executor: one call to the tool's URL carrying Idempotency-Key = action id, failures classified for retry.
import type { HttpExecutorConfig } from '../registry.ts';
import { ToolCallError } from '../errors.ts';
import type { ExecutionRequest, ExecutionResult } from '../executor.ts';

export async function callHttpTool(cfg: HttpExecutorConfig, req: ExecutionRequest): Promise<ExecutionResult> {
  const body = cfg.method === 'GET' || cfg.method === 'DELETE' ? undefined : JSON.stringify({ actionId: req.actionId, tool: req.tool, args: req.args, maxTokens: req.maxTokens });
  let res: Response;
  try {
    res = await fetch(cfg.url, {
      method: cfg.method,
      headers: { ...cfg.headers, 'content-type': 'application/json', 'idempotency-key': req.actionId, 'x-airlock-attempt': String(req.attempt) },
      body,
      signal: AbortSignal.timeout(cfg.timeoutMs),
    });
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new ToolCallError('timeout', `no response from ${cfg.url} within ${cfg.timeoutMs} ms`);
    throw new ToolCallError('network', `${cfg.url}: ${(err.cause as Error | undefined)?.message ?? err.message}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new ToolCallError('network', `${cfg.url}: response body lost: ${(e as Error).message}`);
  }
  if (res.status === 429) throw new ToolCallError('http_429', `${cfg.url} answered 429: ${text.slice(0, 200)}`, 429, retryAfterMs(res.headers.get('retry-after')));
  if (res.status >= 500) throw new ToolCallError('http_5xx', `${cfg.url} answered ${res.status}: ${text.slice(0, 200)}`, res.status);
  if (res.status >= 400) throw new ToolCallError('http_4xx', `${cfg.url} answered ${res.status}: ${text.slice(0, 200)}`, res.status);
  let output: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) {
    try {
      output = JSON.parse(text);
    } catch {
      throw new ToolCallError('bad_response', `${cfg.url} sent invalid JSON`, res.status);
    }
  }
  const headerCost = Number(res.headers.get('x-cost-usd'));
  const headerTokens = Number(res.headers.get('x-tokens'));
  return {
    output,
    // A cost the tool reports must be a non-negative number and tokens a whole number; anything else is ignored,
    // so the reserved estimate is charged rather than nothing.
    costUsd: res.headers.has('x-cost-usd') && Number.isFinite(headerCost) && headerCost >= 0 ? headerCost : undefined,
    tokens: res.headers.has('x-tokens') && Number.isSafeInteger(headerTokens) && headerTokens >= 0 ? headerTokens : undefined,
  };
}

function retryAfterMs(h: string | null): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return s * 1000;
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
