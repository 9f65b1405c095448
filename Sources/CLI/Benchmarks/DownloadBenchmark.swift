import Remote

/// `mlwb bench download`: loopback throughput of mlwb's downloader beside `curl -o`, memory, sha256 speed.
enum DownloadBenchmark {
    static func run(_ context: CommandContext, quick: Bool) throws {
        let curl = BenchTimer.which("curl") ?? "/usr/bin/curl"
        let result = try RemoteBenchmark.run(megabytes: quick ? 256 : 1024, repeats: quick ? 1 : 3, curlPath: curl)
        context.print(result.description)
        context.print("targets: throughput ≥ 0.9× curl -o from the same server; resident memory < 64 MiB; sha256 ≥ 1 GB/s")
    }
}
