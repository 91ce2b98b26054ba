/**
 * A minimal DevTools protocol client over a WebSocket: commands with ids and promised results,
 * events by method, and flat sessions (Target.attachToTarget with `flatten`), which is all the
 * report's page check needs.
 *
 * @module
 */

/** A DevTools event. */
export interface CdpEvent {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly sessionId?: string;
}

/** A DevTools connection. */
export interface CdpConnection {
  /** Send `method` (to `sessionId` when given) and wait for its result. */
  send(
    method: string,
    params?: Record<string, unknown>,
    sessionId?: string,
  ): Promise<Record<string, unknown>>;
  /** Call `listener` for every event. */
  onEvent(listener: (event: CdpEvent) => void): void;
  /** Close the socket (idempotent). */
  close(): Promise<void>;
}

/** How long one command may take. */
const COMMAND_TIMEOUT_MS = 60_000;

/** Connect to the DevTools WebSocket at `url`. */
export async function connectCdp(url: string): Promise<CdpConnection> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error(`Cannot connect to DevTools at ${url}`));
  });
  let next = 1;
  const pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void; method: string }
  >();
  const listeners: ((event: CdpEvent) => void)[] = [];
  socket.onmessage = (message) => {
    const data = JSON.parse(String(message.data));
    if (typeof data.id === "number") {
      const p = pending.get(data.id);
      if (p === undefined) return;
      pending.delete(data.id);
      if (data.error !== undefined) {
        p.reject(
          new Error(
            `DevTools ${p.method} failed: ${data.error.message ?? JSON.stringify(data.error)}`,
          ),
        );
      } else p.resolve(data.result ?? {});
      return;
    }
    const event: CdpEvent = {
      method: data.method,
      params: data.params ?? {},
      ...(data.sessionId === undefined ? {} : { sessionId: data.sessionId }),
    };
    for (const l of listeners) l(event);
  };
  const closed = new Promise<void>((resolve) => {
    socket.onclose = () => {
      for (const p of pending.values()) p.reject(new Error(`DevTools closed during ${p.method}`));
      pending.clear();
      resolve();
    };
  });
  return {
    send(method, params = {}, sessionId) {
      const id = next++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`DevTools ${method} did not answer within ${COMMAND_TIMEOUT_MS} ms`));
        }, COMMAND_TIMEOUT_MS);
        pending.set(id, {
          method,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        socket.send(
          JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) }),
        );
      });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
}
