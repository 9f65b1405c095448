import Foundation

/// Timing helpers for `mlwb bench`: medians of repeated runs, and whole-process runs.
enum BenchTimer {
    /// Seconds since an arbitrary start (monotonic).
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Median seconds of `runs` calls of `body` after `warmup` calls.
    static func median(runs: Int, warmup: Int = 2, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<warmup { try body() }
        var times: [Double] = []
        for _ in 0..<runs {
            let t0 = now()
            try body()
            times.append(now() - t0)
        }
        return times.sorted()[times.count / 2]
    }

    /// Runs a program to completion, discarding its output; returns (seconds, bytes written to stdout, status).
    static func runProcess(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (Double, Int, Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let t0 = now()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (now() - t0, data.count, process.terminationStatus)
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
