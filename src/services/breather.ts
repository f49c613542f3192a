// Work that loops over many rows in one go (a sweep over hundreds of due cases) would hold the
// event loop for tens of milliseconds, and a button click arriving meanwhile would wait for its
// ack. A breather lets waiting requests in once the current slice has run for a couple of
// milliseconds, so the loop costs the same CPU but never stalls a click behind it.

const SLICE_MS = 2;

/** Returns a function to await between items: it yields to waiting I/O when the slice is used up. */
export function breather(sliceMs = SLICE_MS): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await new Promise((r) => setImmediate(r));
    sliceStart = performance.now();
  };
}
