import Remote

/// Validation: the disk against the layout, the published checksums and the recorded ones.
extension DatasetStore {
    // MARK: Validating

    /// Compares `id` on disk with its catalog entry: downloads against published or recorded digests
    /// (recording any digest not yet known), the extracted tree against the layout. A clean result
    /// writes the `.verified` marker. `hashing: false` checks sizes and the layout only.
    public func validate(_ id: String, hashing: Bool = true,
                         progress: ((String, Int64) -> Void)? = nil) throws -> ValidationReport {
        let entry = try catalog.entry(id)
        var report = ValidationReport(id: id)
        let extracted = FileTree.kind(extractedMarkerPath(id)) == .file
        try checkDownloads(entry, extracted: extracted, hashing: hashing, progress: progress, into: &report)
        try checkLayout(entry, hashing: hashing, progress: progress, into: &report)
        let marker = verifiedMarkerPath(id)
        if report.isClean && hashing {
            try StoreMarker.writeJSON(StoreMarker.fingerprint(of: dataFolder(id)), to: marker)
        } else if !report.isClean {
            try? FileTree.remove(marker)
        }
        return report
    }

    private func checkDownloads(_ entry: DatasetEntry, extracted: Bool, hashing: Bool,
                                progress: ((String, Int64) -> Void)?, into report: inout ValidationReport) throws {
        var record = recordedChecksums(entry.id)
        var recordChanged = false
        for file in entry.files {
            let path = downloadsFolder(entry.id) + "/" + file.filename
            let shown = "downloads/" + file.filename
            guard let size = FileTree.size(path) else {
                if extracted {
                    report.notes.append("\(shown) is not kept (the extracted data is checked instead)")
                } else {
                    report.missing.append(.init(pattern: shown, expected: 1, found: 0))
                }
                continue
            }
            report.filesChecked += 1
            if let expected = file.size, expected != size {
                report.corrupt.append(.init(path: shown, expected: "size \(expected)", actual: "size \(size)"))
                continue
            }
            let recorded = record.files[file.filename]
            if !hashing {
                if let recorded, recorded.size != size {
                    report.corrupt.append(.init(path: shown, expected: "size \(recorded.size) (recorded)", actual: "size \(size)"))
                }
                continue
            }
            let sha = try Self.digest(of: path, .sha256) { progress?(shown, $0) }
            report.filesHashed += 1
            if let md5 = file.md5 {
                let actual = try Self.digest(of: path, .md5)
                if actual != md5.lowercased() {
                    report.corrupt.append(.init(path: shown, expected: "md5:\(md5.lowercased())", actual: "md5:\(actual)"))
                    continue
                }
            }
            if let published = file.sha256?.lowercased() {
                if sha != published {
                    report.corrupt.append(.init(path: shown, expected: "sha256:\(published)", actual: "sha256:\(sha)"))
                } else if recorded?.sha256 != sha {
                    record.files[file.filename] = .init(size: size, sha256: sha, origin: "catalog", recorded: ChecksumRecord.now())
                    recordChanged = true
                }
            } else if let recorded {
                if recorded.sha256 != sha || recorded.size != size {
                    report.corrupt.append(.init(path: shown, expected: "sha256:\(recorded.sha256) (recorded \(recorded.recorded))", actual: "sha256:\(sha)"))
                }
            } else {
                record.files[file.filename] = .init(size: size, sha256: sha, origin: "first-download", recorded: ChecksumRecord.now())
                recordChanged = true
                report.notes.append("\(shown): no published checksum; recorded sha256 \(sha) in checksums.json")
            }
        }
        if recordChanged { try record.write(to: checksumsPath(entry.id)) }
    }

    private func checkLayout(_ entry: DatasetEntry, hashing: Bool, progress: ((String, Int64) -> Void)?,
                             into report: inout ValidationReport) throws {
        let data = dataFolder(entry.id)
        let layout = entry.layout
        let allFiles = FileTree.files(under: data)
        let root = resolvedRoot(entry)
        let prefix = root.map { $0 + "/" } ?? ""
        if let root, FileTree.kind(data + "/" + root) != .directory {
            report.missing.append(.init(pattern: root + "/", expected: 1, found: 0))
        }
        for folder in layout.folders where FileTree.kind(data + "/" + prefix + folder) != .directory {
            report.missing.append(.init(pattern: prefix + folder + "/", expected: 1, found: 0))
        }
        var counts = [Int](repeating: 0, count: layout.files.count)
        for item in allFiles {
            report.filesChecked += 1
            guard item.path.hasPrefix(prefix) else {
                if !layout.ignore.contains(where: { $0.matches(item.path) }) { report.unexpected.append(item.path) }
                continue
            }
            let relative = String(item.path.dropFirst(prefix.count))
            var matched = false
            for (index, rule) in layout.files.enumerated() where rule.pattern.matches(relative) {
                counts[index] += 1
                matched = true
            }
            if !matched && layout.checksums[relative] != nil { matched = true }
            if !matched && !layout.allowUnexpected && !layout.ignore.contains(where: { $0.matches(relative) }) {
                report.unexpected.append(item.path)
            }
        }
        for (index, rule) in layout.files.enumerated() {
            let found = counts[index]
            if found < rule.required {
                report.missing.append(.init(pattern: prefix + rule.pattern.text, expected: rule.required, found: found))
            } else if let exact = rule.count, found > exact {
                report.surplus.append(.init(pattern: prefix + rule.pattern.text, expected: exact, found: found))
            }
        }
        for (relative, expected) in layout.checksums.sorted(by: { $0.key < $1.key }) {
            let path = data + "/" + prefix + relative
            guard FileTree.kind(path) == .file else {
                if !report.missing.contains(where: { $0.pattern == prefix + relative }) {
                    report.missing.append(.init(pattern: prefix + relative, expected: 1, found: 0))
                }
                continue
            }
            guard hashing else { continue }
            let actual = try Self.digest(of: path) { progress?(prefix + relative, $0) }
            report.filesHashed += 1
            if actual != expected.lowercased() {
                report.corrupt.append(.init(path: "data/" + prefix + relative, expected: "sha256:\(expected.lowercased())", actual: "sha256:\(actual)"))
            }
        }
    }
}

// MARK: - Hashing

extension DatasetStore {
    /// The lowercase hex digest of a file in the store (Remote's `StreamingDigest`, 1 MiB chunks);
    /// `progress` receives the bytes hashed so far; a read error becomes `DatasetError.file`.
    static func digest(of path: String, _ algorithm: StreamingDigest.Algorithm = .sha256,
                       progress: ((Int64) -> Void)? = nil) throws -> String {
        do {
            return try StreamingDigest.hex(file: path, algorithm: algorithm, progress: progress)
        } catch let error as RemoteError {
            throw DatasetError.file(path: path, reason: "\(error)")
        }
    }
}
