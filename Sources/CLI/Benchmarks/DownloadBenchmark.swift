import Foundation
import Glibc
import Media
import Remote

/// `mlwb bench download`: loopback throughput of mlwb's downloader beside `curl -o`, memory, sha256 speed.
enum DownloadBenchmark {
    static func run(_ context: CommandContext, quick: Bool) throws {
        let curl = BenchTimer.which("curl") ?? "/usr/bin/curl"
        let result = try measure(megabytes: quick ? 256 : 1024, repeats: quick ? 1 : 3, curlPath: curl)
        context.print(result.description)
        context.print("targets: throughput ≥ 0.9× curl -o from the same server; resident memory < 67 MB (64 MiB); sha256 ≥ 1 GB/s")
    }

    /// The numbers of one run.
    public struct Result: Sendable, CustomStringConvertible {
        /// The file size in bytes.
        public var bytes: Int64
        /// Seconds for mlwb's downloader with its defaults and no checksum (stream, rename), like `curl -o`.
        public var mlwbSeconds: Double
        /// Seconds for mlwb's downloader computing SHA-256 on its hashing thread (the verified path).
        public var mlwbSHA256Seconds: Double
        /// Seconds for mlwb's downloader with `--sync` (background writeback, fsync before the rename).
        public var mlwbSyncSeconds: Double
        /// Seconds for `curl -s -o` from the same server, if curl exists.
        public var curlSeconds: Double?
        /// Seconds for `curl -s -o FILE && sync FILE` (curl with the same durability as mlwb).
        public var curlSyncSeconds: Double?
        /// SHA-256 throughput of libcrypto in bytes per second (in memory).
        public var sha256BytesPerSecond: Double
        /// Peak resident memory of this process after the download (VmHWM), in bytes.
        public var peakResidentBytes: Int64?
        /// What served the file.
        public var server: String

        /// mlwb's throughput in bytes per second.
        public var mlwbBytesPerSecond: Double { Double(bytes) / mlwbSeconds }
        /// curl's throughput in bytes per second.
        public var curlBytesPerSecond: Double? { curlSeconds.map { Double(bytes) / $0 } }
        /// mlwb's throughput relative to curl's (1 = as fast).
        public var ratioToCurl: Double? { curlSeconds.map { $0 / mlwbSeconds } }

        public var description: String {
            var lines = ["download \(HumanReadable.bytes(bytes)) over loopback (\(server))",
                         "  mlwb:          \(HumanReadable.fixed(mlwbSeconds, digits: 3)) s  \(HumanReadable.rate(mlwbBytesPerSecond)) (stream, rename: the default)",
                         "  mlwb + sha256: \(HumanReadable.fixed(mlwbSHA256Seconds, digits: 3)) s  \(HumanReadable.rate(Double(bytes) / mlwbSHA256Seconds)) (hashing on a second thread)",
                         "  mlwb --sync:   \(HumanReadable.fixed(mlwbSyncSeconds, digits: 3)) s  \(HumanReadable.rate(Double(bytes) / mlwbSyncSeconds)) (writeback, fsync, rename)"]
            if let curlSeconds, let rate = curlBytesPerSecond, let ratio = ratioToCurl {
                lines.append("  curl -o:       \(HumanReadable.fixed(curlSeconds, digits: 3)) s  \(HumanReadable.rate(rate))  → mlwb/curl \(HumanReadable.fixed(ratio, digits: 2))×, mlwb+sha256/curl \(HumanReadable.fixed(curlSeconds / mlwbSHA256Seconds, digits: 2))×")
                if let synced = curlSyncSeconds {
                    lines.append("  curl + sync:   \(HumanReadable.fixed(synced, digits: 3)) s  \(HumanReadable.rate(Double(bytes) / synced))  → mlwb --sync/(curl+sync) \(HumanReadable.fixed(synced / mlwbSyncSeconds, digits: 2))×")
                }
            } else {
                lines.append("  curl -o:       not found")
            }
            lines.append("  sha256 alone:  \(HumanReadable.rate(sha256BytesPerSecond))")
            if let peak = peakResidentBytes { lines.append("  peak resident memory (VmHWM): \(HumanReadable.bytes(peak))") }
            return lines.joined(separator: "\n")
        }
    }

    /// Generates a file of `megabytes` MiB in a temporary directory, serves it on 127.0.0.1 with a
    /// sendfile server, downloads it with mlwb (best of `repeats`) and with `curl -o`, and cleans up.
    static func measure(megabytes: Int = 1024, repeats: Int = 1, curlPath: String = "/usr/bin/curl") throws -> Result {
        let directory = NSTemporaryDirectory() + "mlwb-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = directory + "/source.bin"
        try generate(source, megabytes: megabytes)
        let server = try BenchmarkFileServer(file: source)
        defer { server.stop() }
        let bytes = Int64(megabytes) << 20

        func timeMLWB(hash: Bool, sync: Bool = false) throws -> Double {
            var best = Double.infinity
            for i in 0..<max(1, repeats) {
                let destination = directory + "/mlwb-\(i).bin"
                var options = DownloadOptions()
                options.progressInterval = 0.25
                options.syncToDisk = sync
                let request = DownloadRequest(url: server.url, destination: destination, expectedSize: bytes, computeSHA256: hash)
                let start = MonotonicClock.seconds()
                _ = try Downloader.fetchBlocking(request, options: options)
                best = min(best, MonotonicClock.seconds() - start)
                unlink(destination)
            }
            return best
        }
        let plain = try timeMLWB(hash: false)
        let hashed = try timeMLWB(hash: true)
        var curlSeconds: Double?, curlSyncSeconds: Double?
        if FileManager.default.isExecutableFile(atPath: curlPath) {
            func timeCurl(sync: Bool) throws -> Double? {
                var best = Double.infinity
                for i in 0..<max(1, repeats) {
                    let destination = directory + "/curl-\(i).bin"
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/sh")
                    process.arguments = ["-c", sync ? "\"$0\" -s -o \"$1\" \"$2\" && sync \"$1\"" : "exec \"$0\" -s -o \"$1\" \"$2\"",
                                         curlPath, destination, server.url]
                    let start = MonotonicClock.seconds()
                    try process.run()
                    process.waitUntilExit()
                    if process.terminationStatus == 0 { best = min(best, MonotonicClock.seconds() - start) }
                    unlink(destination)
                }
                return best.isFinite ? best : nil
            }
            curlSeconds = try timeCurl(sync: false)
            curlSyncSeconds = try timeCurl(sync: true)
        }
        let synced = try timeMLWB(hash: false, sync: true)
        return Result(bytes: bytes, mlwbSeconds: plain, mlwbSHA256Seconds: hashed, mlwbSyncSeconds: synced,
                      curlSeconds: curlSeconds, curlSyncSeconds: curlSyncSeconds,
                      sha256BytesPerSecond: sha256Speed(), peakResidentBytes: peakResidentBytes(),
                      server: "mlwb's sendfile loopback server")
    }

    /// libcrypto SHA-256 throughput over 256 MiB in memory, in bytes per second.
    public static func sha256Speed(megabytes: Int = 256) -> Double {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        memset(buffer, 0x5A, chunk)
        let digest = StreamingDigest(.sha256)
        let start = MonotonicClock.seconds()
        for _ in 0..<megabytes { digest.update(buffer, count: chunk) }
        _ = digest.hex()
        return Double(megabytes * chunk) / (MonotonicClock.seconds() - start)
    }

    /// The process's peak resident set (VmHWM from /proc/self/status), in bytes.
    public static func peakResidentBytes() -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int64($0) }.first
            return kb.map { $0 * 1024 }
        }
        return nil
    }

    private static func generate(_ path: String, megabytes: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw RemoteError.file(.writeFailed(path: path, reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var state: UInt64 = 0x9E3779B97F4A7C15
        for i in 0..<block.count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            block[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        defer { _ = fsync(fd) }  // settle the source so its writeback does not disturb the timings
        for m in 0..<megabytes {
            block[0] = UInt8(truncatingIfNeeded: m)  // no two blocks alike
            let n = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n == block.count else { throw RemoteError.diskFull(path: path, needed: Int64(megabytes) << 20, available: DiskSpace.available(near: path)) }
        }
    }
}
