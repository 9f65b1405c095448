import Foundation
import XCTest
import TestSupport

/// Builds test archives with Python's zipfile/tarfile (python3 is on every machine that runs the
/// suite), including deliberately malicious ones that no well-behaved tool would write.
enum ArchiveFixtures {
    /// Runs a Python script with `arguments`; fails the test with its stderr on error.
    /// `input` is passed on standard input (archive specs can exceed the argument-size limit).
    static func python(_ script: String, _ arguments: [String] = [], input: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script] + arguments,
                                           stdin: input.map { Data($0.utf8) })
        if result.status != 0 {
            XCTFail("python3 failed: \(result.stderr)", file: file, line: line)
            throw TestEnvironmentError("python3 (a test dependency in the README) failed: \(result.stderr)")
        }
    }

    /// A zip at `path` holding `entries` (name → text); names are written exactly as given.
    static func zip(_ path: String, _ entries: [(String, String)], compression: String = "ZIP_DEFLATED") throws {
        let spec = try String(decoding: JSONSerialization.data(withJSONObject: entries.map { [$0.0, $0.1] }), as: UTF8.self)
        try python("""
        import sys, json, zipfile
        with zipfile.ZipFile(sys.argv[1], 'w', zipfile.\(compression)) as z:
            for name, text in json.loads(sys.stdin.read()):
                z.writestr(zipfile.ZipInfo(name) if not name.endswith('/') else name, text)
        """, [path], input: spec)
    }

    /// One tar member: a file with text, a folder, a symlink or a hard link.
    enum Member {
        case file(String, String)
        case folder(String)
        case symlink(String, target: String)
        case hardlink(String, target: String)
    }

    /// A tar at `path` (`mode` "w", "w:gz", "w:bz2" or "w:xz") holding `members` exactly as given.
    static func tar(_ path: String, mode: String = "w", _ members: [Member]) throws {
        let spec: [[String]] = members.map {
            switch $0 {
            case .file(let n, let t): return ["file", n, t]
            case .folder(let n): return ["dir", n, ""]
            case .symlink(let n, let t): return ["sym", n, t]
            case .hardlink(let n, let t): return ["hard", n, t]
            }
        }
        let json = try String(decoding: JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        try python("""
        import sys, json, tarfile, io
        with tarfile.open(sys.argv[1], sys.argv[2]) as t:
            for kind, name, extra in json.loads(sys.stdin.read()):
                info = tarfile.TarInfo(name)
                if kind == 'file':
                    data = extra.encode(); info.size = len(data); info.mode = 0o644
                    t.addfile(info, io.BytesIO(data))
                elif kind == 'dir':
                    info.type = tarfile.DIRTYPE; info.mode = 0o755; t.addfile(info)
                elif kind == 'sym':
                    info.type = tarfile.SYMTYPE; info.linkname = extra; t.addfile(info)
                else:
                    info.type = tarfile.LNKTYPE; info.linkname = extra; t.addfile(info)
        """, [path, mode], input: json)
    }

    /// A zip holding one entry of `megabytes` MiB of zeros (deflates about 1000:1).
    static func zipBomb(_ path: String, entry: String, megabytes: Int) throws {
        try python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
            with z.open(sys.argv[2], 'w', force_zip64=True) as f:
                block = bytes(1 << 20)
                for _ in range(int(sys.argv[3])):
                    f.write(block)
        """, [path, entry, String(megabytes)])
    }
}

/// Everything below `path` (relative paths), for checking that nothing appeared.
func treeListing(_ path: String) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: path) else { return [] }
    return (e.allObjects as? [String] ?? []).sorted()
}
