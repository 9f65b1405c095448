import Foundation

/// Small generated files committed under Tests/CheckpointsTests/Fixtures (see README there).
enum Fixtures {
    /// The absolute path of fixture `name`.
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    /// The bytes of fixture `name`.
    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }
}

/// Assembles pickle byte streams by hand for tests.
struct PickleBuilder {
    var bytes: [UInt8] = [0x80, 0x02]

    mutating func op(_ byte: UInt8) { bytes.append(byte) }
    mutating func global(_ module: String, _ name: String) {
        bytes.append(UInt8(ascii: "c"))
        bytes += Array("\(module)\n\(name)\n".utf8)
    }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        bytes.append(UInt8(ascii: "X"))
        withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes += $0 }
        bytes += utf8
    }
    mutating func int(_ v: UInt8) { bytes += [UInt8(ascii: "K"), v] }
    mutating func stop() { bytes.append(UInt8(ascii: ".")) }
}
