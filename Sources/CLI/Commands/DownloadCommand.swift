#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Media
import Remote

/// `mlwb download URL [-o PATH] [--sha256 X | --md5 X]`: one resumable, verified download.
enum DownloadCommand: Command {
    static let spec = CommandSpec(
        name: "download",
        abstract: "Download a file: resumable, verified, with a progress bar",
        positionals: [.init("URL", "http(s) URL, Google Drive share link or id, or file:// path")],
        options: [
            .init("output", short: "o", value: "PATH", "Where to save (a file, or a directory to save into; default: the URL's file name here)"),
            .init("sha256", value: "HEX", "Expected SHA-256; a mismatching file is deleted"),
            .init("md5", value: "HEX", "Expected MD5; a mismatching file is deleted"),
            .init("size", value: "BYTES", "Expected size in bytes"),
            .init("allow-html", "Accept a web page (normally an HTML answer is an error)"),
            .init("sync", "Flush the file to disk (fsync) before renaming it into place (slower; also MLWB_SYNC_DOWNLOADS=1)"),
        ],
        discussion: """
            Bytes go to PATH.part and are renamed to PATH only once complete and verified. Ctrl-C keeps
            PATH.part; running the same command again resumes it. Checksums are computed while the bytes
            arrive, on a second thread. Retries with backoff on network errors,
            5xx and 429. MLWB_MIRROR (a directory or base URL) is tried first by file name;
            MLWB_OFFLINE=1 uses only the mirror.
            """,
        examples: [
            "mlwb download https://download.pytorch.org/models/mobilenet_v2-b0353104.pth --sha256 b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889",
            "mlwb download https://drive.google.com/file/d/1nYq2FB5LQfYJoXyYZl3XcklpJkCOnwhV/view -o BPS_FH.zip",
        ])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let url = arguments.positionals[0]
        let sha256 = try hexOption(arguments, "sha256", length: 64)
        let md5 = try hexOption(arguments, "md5", length: 32)
        if sha256 != nil, md5 != nil { throw UsageError("give --sha256 or --md5, not both") }
        let size = try arguments.value("size").map { text -> Int64 in
            guard let n = Int64(text), n >= 0 else { throw UsageError("--size expects a number of bytes, got '\(text)'") }
            return n
        }
        let destination = try destinationPath(for: url, output: arguments.value("output"))
        let request = DownloadRequest(url: url, destination: destination, expectedSize: size, sha256: sha256, md5: md5,
                                      expectBinary: !arguments.flag("allow-html"))

        let display = ProgressDisplay(interactive: context.stderrIsTTY, columns: context.terminalSize.columns)
        let control = DownloadControl()
        context.flush()
        InterruptFlag.install()
        let watcher = InterruptWatcher(control: control)
        defer {
            watcher.stop()
            InterruptFlag.uninstall()
        }
        do {
            var options = DownloadOptions.from(environment: context.environment)
            if arguments.flag("sync") { options.syncToDisk = true }
            let result = try Downloader.fetchBlocking(request, options: options,
                                                      control: control, events: { display.handle($0) })
            display.finish()
            var line = result.alreadyPresent ? "already present: \(result.path)" : "saved \(result.path)"
            line += " (\(ByteFormat.string(result.size))"
            if let sha = result.sha256 { line += ", sha256 \(sha)" } else if let md5 = result.md5 { line += ", md5 \(md5)" }
            if result.resumedBytes > 0, !result.alreadyPresent { line += ", resumed \(ByteFormat.string(result.resumedBytes))" }
            context.print(line + ")")
            return ExitStatus.success
        } catch RemoteError.paused(let partial, let bytes) {
            display.finish()
            context.printError("interrupted: \(ByteFormat.string(bytes)) kept in \(partial); run the same command again to resume")
            return ExitStatus.interrupted
        } catch let error as RemoteError {
            display.finish()
            context.printError("mlwb download: error: \(error)")
            return ExitStatus.failure
        }
    }

    // MARK: Arguments

    private static func hexOption(_ arguments: ParsedArguments, _ name: String, length: Int) throws -> String? {
        guard let text = arguments.value(name) else { return nil }
        guard text.count == length, text.allSatisfy(\.isHexDigit) else {
            throw UsageError("--\(name) expects \(length) hexadecimal digits, got '\(text)'")
        }
        return text.lowercased()
    }

    /// `-o` as given (or a directory to save into), else the URL's file name in the current directory.
    static func destinationPath(for url: String, output: String?) throws -> String {
        let name: String
        if let id = GoogleDrive.fileID(in: url) ?? (GoogleDrive.isBareID(url) ? url : nil) {
            name = "gdrive-\(id)"
        } else if let fileName = URLParts.safeFileName(url) {
            name = fileName
        } else {
            name = ""
        }
        if let output, !output.isEmpty {
            if FileAccess.isDirectory(output) {
                guard !name.isEmpty else { throw UsageError("cannot tell a file name from '\(url)'; give -o PATH") }
                return (output.hasSuffix("/") ? output : output + "/") + name
            }
            return output
        }
        guard !name.isEmpty else { throw UsageError("cannot tell a file name from '\(url)'; give -o PATH") }
        return name
    }
}

/// Turns Ctrl-C (the polled `InterruptFlag`) into a pause of the running download.
private final class InterruptWatcher: @unchecked Sendable {
    private let control: DownloadControl
    private let lock = NSCondition()
    private var running = true

    init(control: DownloadControl) {
        self.control = control
        let thread = Thread { [self] in loop() }
        thread.name = "mlwb-interrupt-watch"
        thread.start()
    }

    private func loop() {
        lock.lock()
        defer { lock.unlock() }
        while running {
            if InterruptFlag.isRaised {
                control.pause()
                return
            }
            _ = lock.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
    }

    func stop() {
        lock.lock()
        running = false
        lock.broadcast()
        lock.unlock()
    }
}
