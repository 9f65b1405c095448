import CLI

import Glibc

let status = MLWB.main(Array(CommandLine.arguments.dropFirst()))
// Leave without running library destructors: OpenBLAS's (blas_thread_shutdown) can wait forever
// for a pool thread that went to sleep mid-handshake, which hung quitting after a DeepDream. All of
// mlwb's own clean-up (terminal restore, temporary files) has run by now; only stdio needs flushing.
fflush(nil)  // every open stdio stream
_exit(status)
