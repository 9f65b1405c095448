import Media

/// One place a file can come from, in the order they are tried.
enum DownloadSource: Equatable {
    /// A local file (a mirror directory or a `file://` URL).
    case local(path: String, mirror: Bool)
    /// An http(s) URL.
    case remote(url: String, mirror: Bool)
    /// A Google Drive file id.
    case drive(id: String)

    var isMirror: Bool {
        switch self {
        case .local(_, let m), .remote(_, let m): return m
        case .drive: return false
        }
    }

    var label: String {
        switch self {
        case .local(let path, _): return path
        case .remote(let url, _): return url
        case .drive(let id): return "gdrive:\(id)"
        }
    }

    /// The sources for `request`: mirror candidates by file name first, then the origin unless offline.
    static func plan(for request: DownloadRequest, options: DownloadOptions) throws -> [DownloadSource] {
        let origin = try origin(of: request.url)
        var names: [String] = []
        if case .remote(let url, _) = origin, let name = URLParts.fileName(url) { names.append(name) }
        if case .local(let path, _) = origin, let name = path.split(separator: "/").last { names.append(String(name)) }
        if let name = request.destination.split(separator: "/").last.map(String.init), !names.contains(name) { names.append(name) }

        var sources: [DownloadSource] = []
        var searched: [String] = []
        if let mirror = options.mirror?.trimmingSpaces(), !mirror.isEmpty {
            let scheme = URLParts.scheme(mirror)
            if scheme == "http" || scheme == "https" {
                let base = mirror.hasSuffix("/") ? String(mirror.dropLast()) : mirror
                for name in names {
                    sources.append(.remote(url: base + "/" + name, mirror: true))
                    searched.append(base + "/" + name)
                }
            } else {
                let directory = URLParts.filePath(mirror) ?? mirror
                for name in names {
                    let path = (directory.hasSuffix("/") ? directory : directory + "/") + name
                    searched.append(path)
                    if FileAccess.exists(path), !FileAccess.isDirectory(path) { sources.append(.local(path: path, mirror: true)) }
                }
            }
        }
        if case .local = origin {
            sources.append(origin)
        } else if !options.offline {
            sources.append(origin)
        }
        if sources.isEmpty { throw RemoteError.offline(url: request.url, searched: searched) }
        return sources
    }

    /// The origin named by a request's URL.
    static func origin(of url: String) throws -> DownloadSource {
        if let id = GoogleDrive.fileID(in: url) { return .drive(id: id) }
        if GoogleDrive.isBareID(url) { return .drive(id: url) }
        if let path = URLParts.filePath(url) { return .local(path: path, mirror: false) }
        if url.hasPrefix("/") { return .local(path: url, mirror: false) }
        let scheme = URLParts.scheme(url)
        guard scheme == "http" || scheme == "https", URLParts.host(url)?.isEmpty == false else {
            throw RemoteError.invalidURL(url)
        }
        return .remote(url: url, mirror: false)
    }
}
