import Glibc
import CCurl
import Media

/// One run of one download: lock, mirrors, transfer attempts with retries, verification, rename.
/// Lives on one thread; reports through the event handler.
final class DownloadJob {
    // MARK: Configuration

    let request: DownloadRequest
    let options: DownloadOptions
    let control: DownloadControl
    let id: DownloadID
    private let handler: DownloadEventHandler?
    private var meter = ProgressMeter()

    init(request: DownloadRequest, options: DownloadOptions, control: DownloadControl, id: DownloadID,
         handler: DownloadEventHandler?) {
        self.request = request
        self.options = options
        self.control = control
        self.id = id
        self.handler = handler
    }

    // MARK: Events

    private func emit(_ kind: DownloadEvent.Kind) {
        handler?(DownloadEvent(id: id, label: request.label, kind: kind))
    }

    private func note(_ text: String) { emit(.message(text)) }

    // MARK: Running

    /// Runs the download to the end; emits a final state (done, failed, paused or cancelled).
    func run() throws -> DownloadResult {
        do {
            let result = try runLocked()
            emit(.state(.done(path: result.path)))
            return result
        } catch let error as RemoteError {
            if fileSize(request.partialPath) == nil { unlink(request.metadataPath) }
            switch error {
            case .paused: emit(.state(.paused))
            case .cancelled: emit(.state(.cancelled))
            default: emit(.state(.failed(reason: error.description)))
            }
            throw error
        } catch {
            emit(.state(.failed(reason: "\(error)")))
            throw error
        }
    }

    private func runLocked() throws -> DownloadResult {
        try OwnedFile.checkName(request.destination)
        let directory = AtomicFile.parentDirectory(of: request.destination)
        guard FileAccess.isDirectory(directory) else {
            throw RemoteError.file(.writeFailed(path: request.destination, reason: "directory \(directory) does not exist"))
        }
        if FileAccess.isDirectory(request.destination) { throw RemoteError.file(.isDirectory(path: request.destination)) }
        let lock = try FileLock.acquire(request.lockPath)
        defer { lock.release() }
        if let present = try existingCopy() { return present }

        let sources = try DownloadSource.plan(for: request, options: options)
        var lastError: Error?
        for (index, source) in sources.enumerated() {
            let isLast = index == sources.count - 1
            do {
                switch source {
                case .local(let path, _): return try copyLocal(path, label: source.label)
                case .remote(let url, _): return try transfer(start: url, key: url, driveID: nil, label: source.label)
                case .drive(let fileID):
                    return try transfer(start: GoogleDrive.downloadURL(id: fileID, base: options.driveBaseURL),
                                        key: "gdrive:\(fileID)", driveID: fileID, label: source.label)
                }
            } catch let error as RemoteError {
                switch error {
                case .paused, .cancelled, .diskFull, .diskFilled, .busy, .unsafeFile: throw error
                default: break
                }
                guard source.isMirror, !isLast else { throw error }
                note("mirror \(source.label) failed (\(error)); trying the next source")
                lastError = error
            }
        }
        throw lastError ?? RemoteError.invalidURL(request.url)
    }

    /// A verified copy already at the destination (checksum, or size when no checksum is known).
    private func existingCopy() throws -> DownloadResult? {
        let path = request.destination
        guard FileAccess.exists(path), let size = fileSize(path) else { return nil }
        if request.sha256 == nil, request.md5 == nil {
            guard let expected = request.expectedSize, expected == size else { return nil }
            return DownloadResult(path: path, size: size, sha256: nil, md5: nil, resumedBytes: size, source: path, alreadyPresent: true)
        }
        if let expected = request.expectedSize, expected != size { return nil }
        emit(.state(.verifying))
        var sha: String?, md5: String?
        if let want = request.sha256 {
            sha = try StreamingDigest.hex(file: path, algorithm: .sha256)
            guard sha == want else { return nil }
        }
        if let want = request.md5 {
            md5 = try StreamingDigest.hex(file: path, algorithm: .md5)
            guard md5 == want else { return nil }
        }
        note("\(path) is already present and verified")
        return DownloadResult(path: path, size: size, sha256: sha, md5: md5, resumedBytes: size, source: path, alreadyPresent: true)
    }

    private var algorithms: [StreamingDigest.Algorithm] {
        var list: [StreamingDigest.Algorithm] = []
        if request.sha256 != nil || request.computeSHA256 { list.append(.sha256) }
        if request.md5 != nil { list.append(.md5) }
        return list
    }

    // MARK: Local copies

    private func copyLocal(_ path: String, label: String) throws -> DownloadResult {
        guard let size = fileSize(path) else { throw RemoteError.file(.fileNotFound(path: path)) }
        if let free = DiskSpace.available(near: request.partialPath), free < size + options.diskReserve {
            throw RemoteError.diskFull(path: request.destination, needed: size, available: free)
        }
        note("copying from \(path)")
        emit(.state(.downloading))
        let writer = try PartWriter(path: request.partialPath, keep: false, algorithms: algorithms, sync: options.syncToDisk,
                                    shouldStop: { false })
        unlink(request.metadataPath)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RemoteError.file(.unreadable(path: path, reason: String(cString: strerror(errno)))) }
        defer { Glibc.close(fd) }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var lastEmit = 0.0
        while true {
            if control.shouldStop { try stop(writer, url: label) }
            let n = read(fd, buffer, chunk)
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw RemoteError.file(.unreadable(path: path, reason: String(cString: strerror(errno)))) }
            if n == 0 { break }
            if let code = writer.append(buffer, count: n) {
                writer.closeKeeping()
                if code == ENOSPC { throw RemoteError.diskFull(path: request.destination, needed: size, available: DiskSpace.available(near: path)) }
                throw RemoteError.file(.writeFailed(path: request.partialPath, reason: String(cString: strerror(code))))
            }
            let now = MonotonicClock.seconds()
            if now - lastEmit >= options.progressInterval {
                lastEmit = now
                emit(.progress(meter.update(bytes: writer.size, total: size, at: now)))
            }
        }
        return try finish(writer, source: label, resumed: 0, serverTotal: size)
    }

    // MARK: HTTP

    private enum Retry: Error {
        case after(reason: String, status: Int?, retryAfter: Double?)
    }

    /// Confirming the length of a complete 200 that nothing else vouches for (no expected size or
    /// checksum): one more request for the bytes after its end. A 416 (or the same length again)
    /// confirms it; a 206 means the Content-Length was short (or the connection closed early on a
    /// body of unknown length), and the rest is fetched like a resume.
    private struct LengthCheck {
        /// The next request is the check.
        var pending = false
        /// The check was made (once per run).
        var done = false
    }

    /// Downloads from `start` with retries; `key` identifies the source in the `.part.meta`.
    private func transfer(start: String, key: String, driveID: String?, label: String) throws -> DownloadResult {
        let meta = PartialMetadata.load(request.metadataPath)
        let partSize = fileSize(request.partialPath) ?? 0
        var keep = false
        var validator: String?
        if partSize > 0 {
            if let meta, meta.url == key, let v = meta.ifRangeValidator {
                keep = true
                validator = v
            } else if request.sha256 != nil || request.md5 != nil {
                keep = true  // no validator, but the checksum will catch a file that changed
            } else {
                note("discarding \(request.partialPath): no record of where its bytes came from")
            }
        }
        emit(.state(.connecting))
        let writer = try PartWriter(path: request.partialPath, keep: keep, algorithms: algorithms, sync: options.syncToDisk,
                                    shouldStop: { control.shouldStop })
        if !keep { unlink(request.metadataPath) }
        var resumed = writer.size
        if resumed > 0 { note("resuming at \(HumanReadable.bytes(resumed)) from \(request.partialPath)") }

        let curl = try CurlEasy()
        var url = start
        var failures = 0
        var attempts = 0
        var best = writer.size
        var driveSteps = 0
        var total: Int64? = keep ? (meta?.totalSize ?? request.expectedSize) : request.expectedSize
        // The length the first response announced for the version being resumed (checked on every 206).
        var resumeTotal: Int64? = keep ? meta?.totalSize : nil
        var check = LengthCheck()
        var firstAttempt = true
        while true {
            if control.shouldStop { try stop(writer, url: label) }
            if !firstAttempt { emit(.state(.connecting)) }
            firstAttempt = false
            attempts += 1
            let attempt = TransferAttempt(
                curl: curl, writer: writer, control: control, options: options, expectBinary: request.expectBinary || driveID != nil,
                totalHint: total, resumeOf: (writer.size > 0 ? validator : nil, writer.size > 0 ? resumeTotal : nil),
                confirming: check.pending, meter: meter,
                onBodyStart: { [request] headers in
                    if headers.status == 206 { self.emit(.state(.downloading)); return }  // same version: record kept
                    // A content-encoded body is decoded on the way: its ranges are of the encoding, so
                    // such a download is never resumed (no validator) and its length is not known.
                    let encoded = headers.contentEncoding != nil
                    let announced = encoded ? nil : headers.contentLength
                    let record = PartialMetadata(url: key, etag: encoded ? nil : headers["etag"],
                                                 lastModified: encoded ? nil : headers["last-modified"], totalSize: announced)
                    try? record.save(request.metadataPath)
                    validator = record.ifRangeValidator
                    resumeTotal = announced
                    total = announced ?? request.expectedSize
                    self.emit(.state(.downloading))
                },
                onProgress: { [weak self] progress in self?.emit(.progress(progress)) })
            let outcome = attempt.run(url: url, ifRange: validator, sendRange: writer.size > 0)
            meter = attempt.finalMeter
            if outcome.restarted {
                resumed = 0
                note("the server sent the whole file (it does not resume, or the file changed); starting again from zero")
            }
            do {
                if let result = try interpret(outcome, writer: writer, url: &url, driveID: driveID, driveSteps: &driveSteps,
                                              validator: &validator, total: total, label: label, resumed: resumed,
                                              check: &check) {
                    return result
                }
            } catch Retry.after(let reason, let status, let retryAfter) {
                if writer.size > best { best = writer.size; failures = 0 }
                failures += 1
                let policy = options.retry
                if failures >= policy.maxAttempts {
                    writer.closeKeeping()
                    if let status { throw RemoteError.httpStatus(url: label, status: status, attempts: attempts) }
                    throw RemoteError.connectionFailed(url: label, reason: reason, attempts: attempts)
                }
                if let retryAfter, retryAfter > policy.maxRetryAfter {
                    writer.closeKeeping()
                    throw RemoteError.httpStatus(url: label, status: status ?? 429, attempts: attempts)
                }
                let delay = policy.delay(beforeRetry: failures, retryAfter: retryAfter)
                note("\(reason); retrying in \(HumanReadable.fixed(delay, digits: delay < 10 ? 1 : 0)) s (attempt \(failures + 1) of \(policy.maxAttempts))")
                if !control.wait(seconds: delay) { try stop(writer, url: label) }
            }
        }
    }

    /// Reads one attempt's outcome: a finished result, nil to go on (next Drive step), `Retry`, or an error.
    private func interpret(_ outcome: AttemptOutcome, writer: PartWriter, url: inout String, driveID: String?,
                           driveSteps: inout Int, validator: inout String?, total: Int64?, label: String,
                           resumed: Int64, check: inout LengthCheck) throws -> DownloadResult? {
        let confirming = check.pending
        check.pending = false
        if confirming, outcome.abort == nil, outcome.bytesWritten == 0,
           outcome.code != CURLE_OK || ![200, 206, 416].contains(outcome.status) {
            // The check itself failed (network, an error status): nothing contradicts the file.
            note("could not confirm the length with the server (\(outcome.code != CURLE_OK ? outcome.errorText : "HTTP \(outcome.status)")); keeping the \(HumanReadable.bytes(writer.size)) received")
            return try finish(writer, source: label, resumed: resumed, serverTotal: writer.size)
        }
        switch outcome.abort {
        case .stopRequested?:
            try stop(writer, url: label)
        case .diskFull(let needed, let available)?:
            writer.closeKeeping()
            throw RemoteError.diskFull(path: request.destination, needed: needed, available: available)
        case .diskFilled(let written, _)?:
            // Of unknown length: keeping the .part would only keep the disk full. Report the space
            // free once it is deleted.
            writer.discard()
            unlink(request.metadataPath)
            throw RemoteError.diskFilled(path: request.destination, written: written,
                                         available: DiskSpace.available(near: request.partialPath))
        case .lengthConfirmed?:
            return try finish(writer, source: label, resumed: resumed, serverTotal: writer.size)
        case .validatorChanged(let detail)?:
            try writer.truncate()
            validator = nil
            unlink(request.metadataPath)
            note("the file on the server changed (\(detail)) and the server ignored If-Range; starting again from zero")
            throw Retry.after(reason: "the file on the server changed", status: nil, retryAfter: nil)
        case .encodedRange(let encoding)?:
            try writer.truncate()
            validator = nil
            unlink(request.metadataPath)
            note("the server sent a range of a \(encoding)-encoded body; starting again from zero")
            throw Retry.after(reason: "a range of an encoded body", status: nil, retryAfter: nil)
        case .writeError(let reason)?:
            writer.closeKeeping()
            throw RemoteError.file(.writeFailed(path: request.partialPath, reason: reason))
        case .badContentRange(let detail)?:
            try writer.truncate()
            validator = nil
            throw Retry.after(reason: "the server answered with the wrong byte range (\(detail))", status: nil, retryAfter: nil)
        case .pageTooLarge?:
            writer.closeKeeping()
            throw RemoteError.htmlInsteadOfFile(url: label, detail: "a page of more than 1 MB")
        case .stall?:
            throw Retry.after(reason: "no data for \(HumanReadable.fixed(options.stallTimeout, digits: 0)) s", status: nil, retryAfter: nil)
        case nil:
            break
        }
        if outcome.code != CURLE_OK {
            switch outcome.code {
            case CURLE_TOO_MANY_REDIRECTS:
                writer.closeKeeping()
                throw RemoteError.connectionFailed(url: label, reason: "too many redirects (more than \(options.maxRedirects))", attempts: 1)
            case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
                writer.closeKeeping()
                throw RemoteError.invalidURL(url)
            case CURLE_BAD_CONTENT_ENCODING:
                writer.discard()
                unlink(request.metadataPath)
                throw RemoteError.contentEncoding(url: label, encoding: outcome.headers["content-encoding"] ?? "unknown")
            default:
                throw Retry.after(reason: outcome.errorText, status: nil, retryAfter: nil)
            }
        }
        let status = outcome.status
        if let page = outcome.page {
            let html = String(decoding: page, as: UTF8.self)
            if let driveID {
                switch GoogleDrive.nextStep(page: html, cookies: outcome.headers.cookies, pageURL: outcome.effectiveURL,
                                            id: driveID, base: options.driveBaseURL) {
                case .quotaExceeded:
                    writer.closeKeeping()
                    throw RemoteError.driveQuotaExceeded(fileID: driveID)
                case .follow(let next) where (200..<300).contains(status):
                    driveSteps += 1
                    guard driveSteps <= 4 else {
                        writer.closeKeeping()
                        throw RemoteError.driveUnexpectedPage(fileID: driveID, detail: "Drive keeps asking for confirmation")
                    }
                    note("Google Drive asks to confirm the download of a large file; confirming")
                    url = next
                    return nil
                case .unrecognised(let detail) where (200..<300).contains(status):
                    writer.closeKeeping()
                    throw RemoteError.driveUnexpectedPage(fileID: driveID, detail: detail)
                default:
                    break
                }
            }
            if (200..<300).contains(status) {
                writer.closeKeeping()
                let type = outcome.headers["content-type"].map { "Content-Type \($0)" } ?? "the body starts like HTML"
                let title = HTMLForm.title(in: html).map { ", titled '\($0)'" } ?? ""
                throw RemoteError.htmlInsteadOfFile(url: label, detail: type + title)
            }
        }
        switch status {
        case 200, 206:
            let announced = status == 206 ? outcome.headers.contentRange?.total
                : (outcome.decoded ? nil : outcome.headers.contentLength)
            if let expected = request.expectedSize ?? announced ?? total, writer.size < expected {
                throw Retry.after(reason: "the connection closed early (\(HumanReadable.bytes(writer.size)) of \(HumanReadable.bytes(expected)))",
                                  status: nil, retryAfter: nil)
            }
            if let announced, writer.size > announced {
                // More bytes than Content-Range's total: the server contradicts itself.
                try rejectLength(writer, "the server announced \(announced) bytes but sent \(writer.size)", label: label)
            }
            let vouched = request.expectedSize != nil || request.sha256 != nil || request.md5 != nil
            if status == 200, !vouched, !outcome.decoded, !check.done {
                check.done = true
                check.pending = true
                return nil
            }
            if confirming, status == 206 {
                note("the server's first answer was \(HumanReadable.bytes(resumed)) short of the file; fetched the rest")
            }
            return try finish(writer, source: label, resumed: outcome.restarted ? 0 : resumed, serverTotal: announced)
        case 416:
            // Nothing left to send: either the .part is already complete, or it is longer than the file.
            let serverTotal = outcome.headers.contentRange?.total
            if let serverTotal, serverTotal == writer.size {
                return try finish(writer, source: label, resumed: resumed, serverTotal: serverTotal)
            }
            if confirming, serverTotal == nil {
                return try finish(writer, source: label, resumed: resumed, serverTotal: writer.size)
            }
            try writer.truncate()
            validator = nil
            throw Retry.after(reason: "the partial file does not match the server's file (HTTP 416)", status: nil, retryAfter: nil)
        case 404, 410:
            writer.closeKeeping()
            throw RemoteError.notFound(url: label, status: status)
        case 401, 403:
            writer.closeKeeping()
            throw RemoteError.forbidden(url: label, status: status)
        case 408, 429, 500...599:
            let wait = outcome.headers.retryAfter(now: HTTPDate.now())
            throw Retry.after(reason: "HTTP \(status)\(wait.map { " (Retry-After \(HumanReadable.fixed($0, digits: 0)) s)" } ?? "")",
                              status: status, retryAfter: wait)
        default:
            writer.closeKeeping()
            throw RemoteError.httpStatus(url: label, status: status, attempts: 1)
        }
    }

    // MARK: Finishing

    /// Checks size and digests; renames into place on success, deletes the `.part` on a mismatch.
    private func finish(_ writer: PartWriter, source: String, resumed: Int64, serverTotal: Int64?) throws -> DownloadResult {
        emit(.progress(meter.update(bytes: writer.size, total: serverTotal ?? writer.size, at: MonotonicClock.seconds())))
        emit(.state(.verifying))
        let size = writer.size
        func reject(_ error: RemoteError) throws -> Never {
            writer.discard()
            unlink(request.metadataPath)
            throw error
        }
        if let expected = request.expectedSize, expected != size {
            try reject(.sizeMismatch(url: source, expected: expected, actual: size))
        }
        let sha = writer.hex(.sha256)
        let md5 = writer.hex(.md5)
        if let want = request.sha256, let sha, sha != want {
            try reject(.checksumMismatch(url: source, algorithm: "sha256", expected: want, actual: sha))
        }
        if let want = request.md5, let md5, md5 != want {
            try reject(.checksumMismatch(url: source, algorithm: "md5", expected: want, actual: md5))
        }
        try writer.commit(to: request.destination)
        unlink(request.metadataPath)
        return DownloadResult(path: request.destination, size: size, sha256: sha, md5: md5, resumedBytes: resumed,
                              source: source, alreadyPresent: false)
    }

    /// Deletes the `.part` of a download whose lengths contradict each other and throws.
    private func rejectLength(_ writer: PartWriter, _ detail: String, label: String) throws -> Never {
        writer.discard()
        unlink(request.metadataPath)
        throw RemoteError.connectionFailed(url: label, reason: "\(detail); the partial file was deleted", attempts: 1)
    }

    /// Ends the run at the owner's request: pause keeps the `.part`, cancel deletes it.
    private func stop(_ writer: PartWriter, url: String) throws -> Never {
        if control.request == .cancel {
            writer.discard()
            unlink(request.metadataPath)
            throw RemoteError.cancelled(url: url)
        }
        writer.closeKeeping()
        throw RemoteError.paused(partialPath: request.partialPath, bytes: writer.size)
    }

    private func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}
