// How a TypeScript caller uses generated/js/errors.d.ts; tests/toolchain/test_js.py type-checks it with tsc.
import {
  ApiError,
  ERRORS,
  ErrorCode,
  RETIRED_CODES,
  RETRY_AFTER_HEADER,
  RateLimitError,
  ServerError,
  errorClassFor,
  errorInfo,
  parseRetryAfter,
  raiseForEnvelope,
} from "../../generated/js/errors.js";
import type {
  ErrorCategory,
  ErrorCodeValue,
  ErrorInfo,
  ErrorName,
  HeadersLike,
  HttpEnvelope,
  WebSocketEnvelope,
} from "../../generated/js/errors.js";

interface Ticker {
  symbol: string;
  price: string;
}

const log: unknown[] = [];

interface ResponseLike {
  json(): Promise<unknown>;
  headers: { get(name: string): string | null };
}

// Literal types: each name is its number, not just `number`.
const limited: 3001 = ErrorCode.RATE_LIMIT_EXCEEDED;
const exhausted: ErrorCodeValue = ErrorCode.QUOTA_EXHAUSTED;
const name: ErrorName = "RATE_LIMIT_EXCEEDED";
const header: "Retry-After" = RETRY_AFTER_HEADER;

export async function fetchTicker(response: ResponseLike): Promise<Ticker> {
  const body = await response.json();
  try {
    return raiseForEnvelope<Ticker>(body, response.headers);
  } catch (err) {
    if (err instanceof RateLimitError) {
      // A rate-limit code, known or of the range; codeName says which known one.
      const code: number | null = err.code;
      const codeName: string | null = err.codeName;
      log.push(codeName);
      if (code === ErrorCode.RATE_LIMIT_EXCEEDED) {
        const wait: number = err.retryAfter ?? 60;
        log.push(`retrying in ${wait} s`);
      }
    } else if (err instanceof ServerError) {
      const retry: boolean = err.retryable;
      const code: number | null = err.code;
      log.push(retry, code);
    } else if (err instanceof ApiError) {
      const code: number | null = err.code;
      const status: number | null = err.httpStatus;
      const docs: string | null = err.docUrl;
      const data: unknown = err.data;
      log.push(code, status, docs, data, err.name, err.message);
    }
    throw err;
  }
}

// The generic parameter defaults to unknown, and is inferred from a typed envelope.
const untyped: unknown = raiseForEnvelope({ code: 0, message: "success" });
const http: HttpEnvelope<Ticker> = {
  code: 0,
  message: "success",
  data: { symbol: "BTCUSDT", price: "43250.50" },
};
const ticker: Ticker = raiseForEnvelope(http);
const ws: WebSocketEnvelope<{ channel: string }> = {
  cmd: "subscribe",
  code: 4003,
  message: "Depth subscriptions temporarily unavailable",
  data: { channel: "depth" },
};
const channel: string = raiseForEnvelope(ws).channel;
const plain: HeadersLike = { "retry-after": "30" };
raiseForEnvelope(http, plain);
raiseForEnvelope(http, undefined);
raiseForEnvelope(http, null);
raiseForEnvelope(http, plain, { now: Date.now() });
const retiredName: string | undefined = RETIRED_CODES[2003];

// Metadata: a known code gives its info, any number may give nothing.
const info: ErrorInfo<3002> = errorInfo(ErrorCode.QUOTA_EXHAUSTED);
const retryAfter: boolean = info.retryAfter;
const category: ErrorCategory = ERRORS[3001].category;
const maybe: ErrorInfo | undefined = errorInfo(42 as number);
const status: number | null = ERRORS[ErrorCode.SUCCESS].httpStatus;
const transports: readonly ("http" | "websocket")[] = ERRORS[4001].transports;
const seconds: number | null = parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", Date.now());
const errorClass: typeof ApiError = errorClassFor(3001);
const made = new RateLimitError(3001, "slow down", { headers: plain, data: { a: 1 }, cause: "x" });
const base = new ApiError(null);

export const used = [
  limited, exhausted, name, header, untyped, ticker, channel, info, retryAfter, category, maybe,
  status, transports, seconds, errorClass, made, base, retiredName,
];
