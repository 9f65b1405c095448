import Foundation

/// Runs the built `mlwb` binary (or any program) and captures what it prints.
public enum ProcessRunner {
    /// What a finished process left behind.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var stdoutBytes: Data
    }

    /// The `mlwb` executable built next to the test bundle.
    public static var mlwbPath: String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // The test runner lives in .build/<config>/mlwbPackageTests.xctest (a file on Linux).
        if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        let candidate = dir.appendingPathComponent("mlwb").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        for arg in CommandLine.arguments {
            let d = URL(fileURLWithPath: arg).deletingLastPathComponent().appendingPathComponent("mlwb").path
            if FileManager.default.isExecutableFile(atPath: d) { return d }
        }
        return candidate
    }

    /// The built `mlwb`; a missing binary is an error that fails the test (never a skip: `swift build` makes it).
    public static func requireMLWB() throws -> String {
        let path = mlwbPath
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestEnvironmentError("the mlwb binary is not built at \(path); build it with the test command "
                + "(swift build -c release -Xswiftc -enable-testing --build-tests)")
        }
        return path
    }

    /// Runs `mlwb` with `arguments`; `environment` entries are added to a minimal environment.
    public static func mlwb(_ arguments: [String], environment: [String: String] = [:],
                            directory: String? = nil, stdin: Data? = nil) throws -> Result {
        try run(try requireMLWB(), arguments, environment: environment, directory: directory, stdin: stdin)
    }

    /// Runs a program and waits for it.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:],
                           directory: String? = nil, stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp",
                   "TERM": "dumb"]
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child never blocks.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self),
                      stdoutBytes: outData)
    }
}
