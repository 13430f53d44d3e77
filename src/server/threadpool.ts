/**
 * Imported first by the server's entry (main.ts) and by benches that run the server in their own
 * process: more threads for Node's libuv pool, unless UV_THREADPOOL_SIZE is set already.
 *
 * Why: every blob file is fsynced (twice: the file and its directory) on that pool, and so are
 * scrypt (logins, PINs) and every other async file operation. With the default 4 threads, four
 * slow fsyncs block all of them; a batch upload of 10 photos alone asks for 20. More threads let
 * the disk's journal commit concurrent fsyncs together. The pool is created at its first use, so
 * this must run before any async fs, crypto or DNS work. Measured in the photo bench (2 vCPU VM,
 * heavily shared): a 2 MB batch answered in 347–365 ms with 16 threads against 527–928 ms with 4.
 */
process.env.UV_THREADPOOL_SIZE ??= '16';
