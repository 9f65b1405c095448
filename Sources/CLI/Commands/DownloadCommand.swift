import Glibc
import Foundation
import Media
import Remote

/// `mlwb download URL [-o PATH] [--sha256 X | --md5 X]`: one resumable, verified download.
enum DownloadCommand: Command {
    static let output = Option<String?>("output", short: "o", value: "PATH", output: .fileOrFolder,
                                        help: "Where to save (a file, or a directory to save into; default: the URL's file name here)")
    static let sha256 = hex("sha256", length: 64, help: "Expected SHA-256; a mismatching file is deleted")
    static let md5 = hex("md5", length: 32, help: "Expected MD5; a mismatching file is deleted")
    static let size: Option<Int64?> = .single(OptionSpec("size", value: "BYTES", help: "Expected size in bytes"), fallback: nil) { text in
        guard let n = Int64(text), n >= 0 else { throw UsageError("--size expects a number of bytes, got '\(text)'") }
        return n
    }
    static let allowHTML = Option<Bool>(flag: "allow-html", help: "Accept a web page (normally an HTML answer is an error)")

    static let spec = CommandSpec(
        name: "download",
        abstract: "Download a file: resumable, verified, with a progress bar",
        positionals: [.init("URL", "http(s) URL, Google Drive share link or id, or file:// path")],
        options: [output.spec, sha256.spec, md5.spec, size.spec, allowHTML.spec] + DownloadOptionSet.specs,
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

    /// A hexadecimal digest option of `length` digits.
    static func hex(_ name: String, length: Int, help: String) -> Option<String?> {
        .single(OptionSpec(name, value: "HEX", help: help), fallback: nil) { text in
            guard text.count == length, text.allSatisfy(\.isHexDigit) else {
                throw UsageError("--\(name) expects \(length) hexadecimal digits, got '\(text)'")
            }
            return text.lowercased()
        }
    }

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let url = arguments.positionals[0]
        do { try Downloader.validate(url: url) } catch let error as RemoteError { throw UsageError("\(error)") }
        let expectedSHA = try arguments[sha256], expectedMD5 = try arguments[md5]
        if expectedSHA != nil, expectedMD5 != nil { throw UsageError("give --sha256 or --md5, not both") }
        let given = try arguments[output]
        let destination = try destinationPath(for: url, output: given)
        if given == nil { try OutputPath.file.check(destination, option: "the URL's file name") }  // -o was checked when read
        let request = DownloadRequest(url: url, destination: destination, expectedSize: try arguments[size], sha256: expectedSHA,
                                      md5: expectedMD5, expectBinary: !(try arguments[allowHTML]))
        let options = try DownloadOptionSet.options(arguments, environment: context.environment)
        let display = try DownloadOptionSet.display(arguments, context: context)
        context.flush()
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        do {
            let result = try BlockingTask.run { try await Downloader.fetch(request, options: options, events: { display?.handle($0) }) }
            display?.finish()
            var line = result.alreadyPresent ? "already present: \(result.path)" : "saved \(result.path)"
            line += " (\(HumanReadable.bytes(result.size))"
            if let sha = result.sha256 { line += ", sha256 \(sha)" } else if let md5 = result.md5 { line += ", md5 \(md5)" }
            if result.resumedBytes > 0, !result.alreadyPresent { line += ", resumed \(HumanReadable.bytes(result.resumedBytes))" }
            context.print(line + ")")
            return ExitStatus.success
        } catch RemoteError.paused(let partial, let bytes) {
            display?.finish()
            context.printError("interrupted: \(HumanReadable.bytes(bytes)) kept in \(partial); run the same command again to resume")
            return ExitStatus.interrupted
        } catch let error as RemoteError {
            display?.finish()
            context.printError("mlwb download: error: \(error)")
            return ExitStatus.failure
        }
    }

    // MARK: Arguments

    /// `-o` as given (or a directory to save into), else the URL's file name in the current directory.
    static func destinationPath(for url: String, output: String?) throws -> String {
        let name = URLParts.downloadName(url) ?? ""
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

