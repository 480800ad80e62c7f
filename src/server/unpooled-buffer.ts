/** Buffers from this size on are allocated so that freeing them gives their memory back at once. */
const LARGE_BYTES = 4 * 1024 * 1024;
/** glibc's largest dynamic mmap threshold (32 MiB on 64-bit); requests above it are always mmapped. */
const ALWAYS_MAPPED_BYTES = 32 * 1024 * 1024 + 4096;

/**
 * An uninitialised buffer of `size` bytes (not from Node's pool). A large one (a request body, a
 * `/call/read` answer) is allocated as more than 32 MiB and viewed at its size: glibc serves requests
 * that large with their own mapping and unmaps it on free, whereas a 30 MiB buffer, once one such
 * mapping was freed, comes from the heap (the mmap threshold rises to the largest freed mapping, up to
 * 32 MiB), which keeps freed memory: RSS that never went back after a few large calls. Pages past
 * `size` are never touched, so they take no memory. The view's `buffer` can be transferred whole.
 */
export function unpooledBuffer(size: number): Buffer {
  if (size < LARGE_BYTES || size >= ALWAYS_MAPPED_BYTES) return Buffer.allocUnsafeSlow(size);
  return Buffer.allocUnsafeSlow(ALWAYS_MAPPED_BYTES).subarray(0, size);
}
