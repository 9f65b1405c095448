import TestSupport
import XCTest
@testable import Checkpoints

final class NumpyTests: XCTestCase {
    func testNpyFixtures() throws {
        XCTAssertEqual(try NumpyArray.read(path: Fixtures.path("f4.npy")), WeightTensor(shape: [2, 3], floats: [0, 0.5, 1, 1.5, 2, 2.5]))
        // Fortran order: stored column-major, returned row-major.
        XCTAssertEqual(try NumpyArray.read(path: Fixtures.path("f8_fortran.npy")),
                       WeightTensor(shape: [2, 3], floats: [0, 1, 2, 3, 4, 5], dtype: .float64))
        XCTAssertEqual(try NumpyArray.read(path: Fixtures.path("f2.npy")), WeightTensor(shape: [3], floats: [0.5, -1, 2], dtype: .float16))
        XCTAssertEqual(try NumpyArray.read(path: Fixtures.path("i8.npy")), WeightTensor(shape: [2, 2], integers: [1, -2, 3, 1 << 40]))
        XCTAssertEqual(try NumpyArray.read(path: Fixtures.path("i4_be.npy")), WeightTensor(shape: [3], integers: [1, -2, 300], dtype: .int32))
        XCTAssertEqual(try NumpyArray.read(path: Fixtures.path("scalar.npy")), WeightTensor(shape: [], floats: [7.25]))
        XCTAssertEqual(try NumpyArray.read(path: Fixtures.path("v2.npy")), WeightTensor(shape: [4], floats: [0, 1, 2, 3]))
    }

    func testObjectArraysAreRefused() {
        XCTAssertThrowsError(try NumpyArray.read(path: Fixtures.path("object.npy"))) { error in
            XCTAssertTrue("\(error)".contains("object arrays"), "\(error)")
        }
    }

    func testTruncatedNpyIsAnError() throws {
        let bytes = try Fixtures.bytes("f4.npy")
        for cut in [0, 5, 9, 20, bytes.count - 1] {
            XCTAssertThrowsError(try NumpyArray.decode(Array(bytes.prefix(cut))), "cut \(cut)")
        }
        var huge = bytes
        let header = String(decoding: bytes[10..<(bytes.count - 24)], as: UTF8.self)
        let replaced = header.replacingOccurrences(of: "(2, 3)", with: "(99999999, 99999)")
        huge = Array(bytes[0..<10]) + Array(replaced.utf8) + Array(bytes.suffix(24))
        huge[8] = UInt8(replaced.utf8.count & 0xff)
        huge[9] = UInt8(replaced.utf8.count >> 8)
        XCTAssertThrowsError(try NumpyArray.decode(huge))
    }

    func testNpzStoredAndDeflated() throws {
        for name in ["stored.npz", "deflated.npz"] {
            let dict = try NumpyArchive.read(path: Fixtures.path(name))
            XCTAssertEqual(dict.names, ["a", "b"], name)
            XCTAssertEqual(dict["a"], WeightTensor(shape: [3], floats: [0, 1, 2]))
            XCTAssertEqual(dict["b"], WeightTensor(shape: [2, 2], floats: [1, 0, 0, 1], dtype: .float64))
            XCTAssertEqual(try WeightFile.detect(path: Fixtures.path(name)), .npz)
        }
    }

    func testBasicPitchRawOutputsNpz() throws {
        let path = try SharedData.require("audio/bach_bwv66_6.basicpitch_raw.npz")
        let dict = try NumpyArchive.read(path: path)
        XCTAssertEqual(Set(dict.names), ["note", "onset", "contour"])
        // Values printed by NumPy.
        let expected: [(String, [Int], Float, Float, Double)] = [
            ("note", [2416, 88], 0.11287787556648254, 0.7230351567268372, 26837.146484375),
            ("onset", [2416, 88], 0.052661776542663574, 0.6441323757171631, 25033.328125),
            ("contour", [2416, 264], 0.1832171082496643, 0.09936380386352539, 69382.6875),
        ]
        for (name, shape, first, at100x40, sum) in expected {
            let tensor = try XCTUnwrap(dict[name])
            XCTAssertEqual(tensor.shape, shape)
            XCTAssertEqual(tensor.dtype, .float32)
            XCTAssertEqual(tensor.floats[0], first)
            XCTAssertEqual(tensor.floats[100 * shape[1] + 40], at100x40)
            XCTAssertEqual(tensor.floats.reduce(0.0) { $0 + Double($1) }, sum, accuracy: sum * 1e-5)
        }
    }
}
