import Media
import Remote
extension Reducer {
    // MARK: Starting transfers

    static func startCheckpointTransfer(_ s: inout AppState, _ id: String, thenRun modelID: String?) -> [Effect] {
        let transferID = "checkpoint:" + id
        if let existing = s.downloads.transfer(transferID), existing.phase.isActive {
            if let modelID, let i = s.downloads.transfers.firstIndex(where: { $0.id == transferID }) {
                s.downloads.transfers[i].thenRun = modelID
            }
            return []
        }
        let info = s.models.catalog.first { $0.id == id } ?? s.models.entries.flatMap(\.checkpoints).first { $0.id == id }
        guard let info else {
            let known = s.models.catalog.map(\.id).joined(separator: ", ")
            s.post(.error, "no checkpoint '\(id)' in the catalog (known: \(known.isEmpty ? "none" : known))")
            return []
        }
        var transfer = Transfer(id: transferID, kind: .checkpoint, itemID: id, title: info.name, total: info.size, thenRun: modelID)
        transfer.phase = .queued
        upsert(&s, transfer)
        s.post(.info, "downloading checkpoint \(id) (\(HumanReadable.bytes(info.size)))")
        return [.startTransfer(kind: .checkpoint, itemID: id)]
    }

    static func getDataset(_ s: inout AppState, _ id: String) -> [Effect] {
        guard let row = s.downloads.datasets.first(where: { $0.id == id }) else {
            let known = s.downloads.datasets.map(\.id).joined(separator: ", ")
            s.post(.error, "no dataset '\(id)' in the catalog (known: \(known.isEmpty ? "none" : known))")
            return []
        }
        if case .manual(let how) = row.state {
            s.post(.warning, "\(row.name) cannot be downloaded automatically: \(how)")
            return []
        }
        if let existing = s.downloads.transfer("dataset:" + id), existing.phase.isActive { return [] }
        // A dataset can be tens of GB under a licence that limits its use: ask with both in view.
        let message = "Download \(row.name) (\(row.sizeText))? Licence: \(row.licence). It is unpacked under MLWB_HOME/datasets/\(id)."
        s.overlay = .confirm(.downloadDataset(id: id, message: message))
        return []
    }

    /// Starts the dataset download the user agreed to.
    static func startDatasetTransfer(_ s: inout AppState, _ id: String) -> [Effect] {
        guard let row = s.downloads.datasets.first(where: { $0.id == id }) else { return [] }
        let transferID = "dataset:" + id
        if let existing = s.downloads.transfer(transferID), existing.phase.isActive { return [] }
        upsert(&s, Transfer(id: transferID, kind: .dataset, itemID: id, title: row.name, total: row.bytes))
        s.post(.info, "downloading dataset \(id)")
        return [.startTransfer(kind: .dataset, itemID: id)]
    }

    /// `:download URL [-o PATH] [--sha256 HEX | --md5 HEX]` as a row in Downloads, landing in
    /// `MLWB_HOME/downloads` unless `-o` says where; nil for other options (the CLI runs those).
    static func download(_ s: inout AppState, _ args: [String]) -> [Effect]? {
        var url: String?
        var output: String?
        var sha256: String?, md5: String?
        var i = 0
        while i < args.count {
            let word = args[i]
            let value = i + 1 < args.count ? args[i + 1] : nil
            switch word {
            case "-o", "--output": output = value; i += 2
            case "--sha256": sha256 = value?.lowercased(); i += 2
            case "--md5": md5 = value?.lowercased(); i += 2
            default:
                if word.hasPrefix("-") || url != nil { return nil }
                url = word; i += 1
            }
        }
        guard let url, output != "" else { return nil }
        do { try Downloader.validate(url: url) } catch {
            s.post(.error, "download: \(error)")
            return []
        }
        let destination: String
        if let output {
            destination = output
        } else {
            guard let name = URLParts.downloadName(url) else {
                s.post(.error, "download: cannot tell a file name from '\(url)'; give -o PATH")
                return []
            }
            destination = s.downloadsDirectory + "/" + name
        }
        let request = URLDownload(url: url, destination: destination, sha256: sha256, md5: md5)
        let id = TransferKind.url.rawValue + ":" + destination
        if let existing = s.downloads.transfer(id), existing.phase.isActive {
            s.post(.info, "\(destination) is already downloading")
            return []
        }
        var transfer = Transfer(id: id, kind: .url, itemID: destination, title: destination.split(separator: "/").last.map(String.init) ?? url, total: nil)
        transfer.download = request
        upsert(&s, transfer)
        s.focus = .downloads
        s.post(.info, "downloading \(url) → \(destination)")
        return [.startDownload(request)]
    }

    static func verifyDataset(_ s: inout AppState, _ id: String) -> [Effect] {
        guard let i = s.downloads.datasets.firstIndex(where: { $0.id == id }) else {
            s.post(.error, "no dataset '\(id)' in the catalog")
            return []
        }
        s.downloads.datasets[i].state = .checking
        return [.verifyDataset(id)]
    }

    /// Inserts or replaces a transfer (newest first), keeping the selection on it.
    static func upsert(_ s: inout AppState, _ transfer: Transfer) {
        if let i = s.downloads.transfers.firstIndex(where: { $0.id == transfer.id }) {
            s.downloads.transfers[i] = transfer
        } else {
            s.downloads.transfers.insert(transfer, at: 0)
            s.downloads.selected = 0
        }
    }

    // MARK: Pause, resume, cancel, retry

    static func transferToggle(_ s: inout AppState) -> [Effect] {
        guard let t = s.downloads.currentTransfer else {
            if s.focus == .downloads, let row = s.downloads.currentDataset { return getDataset(&s, row.id) }
            return []
        }
        let i = s.downloads.selected
        switch t.phase {
        case .queued, .downloading:
            s.downloads.transfers[i].phase = .paused
            s.downloads.transfers[i].rate = 0
            s.post(.info, "paused \(t.itemID)")
            return [.stopTransfer(id: t.id, keepPartial: true)]
        case .paused, .failed, .cancelled:
            return restart(&s, index: i)
        case .verifying, .finished:
            return []
        }
    }

    static func transferCancel(_ s: inout AppState) -> [Effect] {
        guard let t = s.downloads.currentTransfer else { return [] }
        guard t.phase.isActive || t.phase == .paused else { return [] }
        s.downloads.transfers[s.downloads.selected].phase = .cancelled
        s.downloads.transfers[s.downloads.selected].rate = 0
        if let job = s.job, job.phase == .waitingForCheckpoint, t.thenRun == job.request.modelID {
            s.job?.enter(.cancelled, at: s.now)
        }
        s.post(.info, "cancelled \(t.itemID)")
        return [.stopTransfer(id: t.id, keepPartial: false)]
    }

    static func transferRetry(_ s: inout AppState) -> [Effect] {
        guard let t = s.downloads.currentTransfer else { return [] }
        switch t.phase {
        case .failed, .cancelled, .paused: return restart(&s, index: s.downloads.selected)
        default:
            s.post(.info, "\(t.itemID) is \(t.phase.label); retry applies to failed or stopped transfers")
            return []
        }
    }

    static func restart(_ s: inout AppState, index i: Int) -> [Effect] {
        let t = s.downloads.transfers[i]
        s.downloads.transfers[i].phase = .queued
        s.downloads.transfers[i].lastSample = nil
        s.downloads.transfers[i].note = nil
        s.post(.info, "resuming \(t.itemID)")
        if t.kind == .url, let download = t.download { return [.startDownload(download)] }
        return [.startTransfer(kind: t.kind, itemID: t.itemID)]
    }

    // MARK: Events

    static func transferEvent(_ s: inout AppState, id: String, event: TransferEvent, at time: Double) -> [Effect] {
        guard let i = s.downloads.transfers.firstIndex(where: { $0.id == id }) else { return [] }
        var t = s.downloads.transfers[i]
        var effects: [Effect] = []
        switch event {
        case .progress(let bytes, let total):
            // Late progress from a transfer the user stopped is ignored.
            guard t.phase == .queued || t.phase == .downloading else { return [] }
            if let last = t.lastSample, time > last.time + 0.05 {
                let instant = Double(max(0, bytes - last.bytes)) / (time - last.time)
                t.rate = t.rate == 0 ? instant : t.rate * 0.7 + instant * 0.3
                t.lastSample = (time, bytes)
            } else if t.lastSample == nil {
                t.lastSample = (time, bytes)
            }
            t.bytes = bytes
            if let total { t.total = total }
            t.phase = .downloading
        case .verifying:
            t.phase = .verifying
        case .finished(let path):
            t.phase = .finished
            if let total = t.total { t.bytes = total }
            t.rate = 0
            t.note = nil
            if t.kind == .url {
                s.post(.info, "✓ downloaded \(path)" + (t.download?.sha256 != nil || t.download?.md5 != nil ? " (checksum verified)" : ""))
                let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                if folder == s.media.directory { effects.append(.loadDirectory(s.media.directory)) }
            } else {
                s.post(.info, "\(t.kind.rawValue) \(t.itemID) downloaded and verified")
                effects.append(.refreshModels)
            }
        case .note(let text):
            t.note = text
            s.post(.warning, "\(t.kind.rawValue) \(t.itemID): \(text)")
        case .failed(let message):
            t.phase = .failed(message)
            t.rate = 0
            t.note = message
            let hint = t.kind == .checkpoint ? "; r retries, or fetch the file yourself and run mlwb checkpoints import FILE" : " (r retries)"
            s.post(.error, "\(t.kind.rawValue) \(t.itemID) failed: \(message)\(hint)")
            if let job = s.job, job.phase == .waitingForCheckpoint, t.thenRun == job.request.modelID {
                s.job?.enter(.failed("checkpoint download failed: \(message)"), at: s.now)
            }
        case .paused:
            if t.phase != .cancelled { t.phase = .paused }
            t.rate = 0
        case .cancelled:
            t.phase = .cancelled
            t.rate = 0
        }
        s.downloads.transfers[i] = t
        return effects
    }
}
