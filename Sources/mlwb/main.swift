import CLI

#if canImport(Glibc)
import Glibc
#endif

exit(MLWB.main(Array(CommandLine.arguments.dropFirst())))
