import Foundation
import Media

/// Timing helpers for `mlwb bench`: medians of repeated runs, and whole-process runs.
enum BenchTimer {
    /// Median seconds of `runs` calls of `body` after `warmup` calls.
    static func median(runs: Int, warmup: Int = 2, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<warmup { try body() }
        var times: [Double] = []
        for _ in 0..<runs {
            let t0 = MonotonicClock.seconds()
            try body()
            times.append(MonotonicClock.seconds() - t0)
        }
        return times.sorted()[times.count / 2]
    }

    /// Runs a program to completion with its output going to a scratch file (no pipe for the child to
    /// wait on, no Foundation `Process` overhead); returns (seconds, bytes written to stdout, status).
    static func runProcess(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (Double, Int, Int32) {
        let outPath = NSTemporaryDirectory() + "mlwb-bench-out-\(getpid())"
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = environment ?? ProcessInfo.processInfo.environment
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let t0 = MonotonicClock.seconds()
        guard posix_spawn(&pid, program, &actions, nil, argv, envp) == 0 else {
            throw MediaError.unreadable(path: program, reason: "cannot start it")
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let elapsed = MonotonicClock.seconds() - t0
        var info = stat()
        let size = stat(outPath, &info) == 0 ? Int(info.st_size) : 0
        return (elapsed, size, (status >> 8) & 0xFF)
    }

    /// `relative` inside the shared data folder (`$MLWB_SHARED`, else ../shared next to the working
    /// directory or the package holding the executable) if it holds `file`, or nil.
    static func sharedDirectory(_ relative: String, containing file: String, environment: [String: String]) -> String? {
        var candidates: [String] = []
        if let shared = environment["MLWB_SHARED"], !shared.isEmpty { candidates.append(shared + "/" + relative) }
        candidates += ["../shared/" + relative, "shared/" + relative]
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var url = URL(fileURLWithPath: exe)
            for _ in 0..<5 {
                url.deleteLastPathComponent()
                candidates.append(url.deletingLastPathComponent().appendingPathComponent("shared/" + relative).path)
            }
        }
        return candidates.first { FileManager.default.fileExists(atPath: "\($0)/\(file)") }
    }

    /// The full path of `name` on $PATH, or nil.
    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Peak resident memory of this process so far (VmHWM), in bytes.
    static func peakResidentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first
            return kb.map { $0 * 1024 }
        }
        return nil
    }

    /// `1.234 ms` style formatting.
    static func ms(_ seconds: Double) -> String { String(format: "%.3f ms", seconds * 1000) }
}
