// Waiting with a deadline, for every npm project of the tests (no dependencies, so any project can
// import it): each wait fails with a sentence naming what was awaited, so a failure in the Maven log
// says what the client saw, not just "timeout".

/** Default deadline for one awaited event; generous because CI machines are small and busy. */
export const WAIT_MS = 30_000;

/** Resolves when the socket emits "connect", rejects on "connect_error" or after the deadline. */
export function waitConnect(socket, what = "connect") {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no "connect" within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const onConnect = () => { cleanup(); resolve(); };
    const onError = (err) => {
      cleanup();
      reject(new Error(`${what}: connect_error "${err.message}"` + (err.data !== undefined ? ` data=${JSON.stringify(err.data)}` : ""), { cause: err }));
    };
    function cleanup() {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
    }
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
}

/** Resolves with the argument array of the next `event` on `emitter`, or rejects after `ms`. */
export function next(emitter, event, ms = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" event within ${ms} ms`));
    }, ms);
    const listener = (...args) => {
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args);
    };
    emitter.on(event, listener);
  });
}

/** Emits with an acknowledgement and a deadline; resolves with the ack's argument array. */
export function ask(socket, event, ...args) {
  return new Promise((resolve, reject) => {
    socket.timeout(WAIT_MS).emit(event, ...args, (err, ...reply) => {
      if (err) reject(new Error(`no ack for "${event}" within ${WAIT_MS} ms`, { cause: err }));
      else resolve(reply);
    });
  });
}

/** Polls `probe` (async, returns a value or undefined) until it yields something, or fails naming `what`. */
export async function eventually(what, probe, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined && last !== null) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: still not true after ${ms} ms (last value ${JSON.stringify(last)})`);
}
