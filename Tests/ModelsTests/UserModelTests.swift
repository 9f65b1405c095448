import Audio
import Foundation
import Media
import MIDI
@testable import Models
import TestSupport
import XCTest

/// Bring your own model: the user model folder, the registry, running, refusing what does not fit.
/// Tiny models come from the ONNX node tests in ../shared (skipped clearly when absent):
/// `test_maxpool_2d_same_upper` ([1, 3, 32, 32] → [1, 3, 32, 32]) stands in for an image-to-image model and
/// `test_globalaveragepool` ([1, 3, 5, 5] → [1, 3, 1, 1]) for a three-class classifier.
final class UserModelTests: XCTestCase {
    static func imageModel() throws -> String { try SharedData.require("onnx-node-tests/test_maxpool_2d_same_upper/model.onnx") }
    static func poolClassifier() throws -> String { try SharedData.require("onnx-node-tests/test_globalaveragepool/model.onnx") }

    /// A store in a fresh MLWB_HOME.
    func makeHome() throws -> (TemporaryDirectory, UserModelStore, [String: String]) {
        let home = try TemporaryDirectory(prefix: "mlwb-byom")
        addTeardownBlock { home.remove() }
        let environment = ["MLWB_HOME": home.path]
        return (home, UserModelStore(environment: environment), environment)
    }

    func result(of model: any Model, _ input: ModelInput, _ parameters: ModelParameters? = nil) async throws -> ModelResult {
        let params = parameters ?? ModelParameters(defaults: model.parameters)
        let dir = try TemporaryDirectory(prefix: "mlwb-byom-ctx")
        defer { dir.remove() }
        let store = try ModelTestSupport.store(in: dir)
        var outcome: ModelResult?
        for await event in model.run(input, parameters: params, context: ModelContext(store: store, environment: [:])) {
            if case .finished(let r) = event { outcome = r }
            if case .failed(let message) = event { XCTFail("run failed: \(message)") }
        }
        return try XCTUnwrap(outcome)
    }

    // MARK: Store

    func testUserModelAddListAndRemoveInATemporaryHome() throws {
        let source = try Self.imageModel()
        let (home, store, _) = try makeHome()
        XCTAssertEqual(store.directory, home.path + "/models")
        XCTAssertTrue(store.list().isEmpty)

        let added = try store.add(source, task: .imageToImage, name: "pool")
        XCTAssertEqual(added.id, "pool")
        XCTAssertEqual(added.task, .imageToImage)
        XCTAssertEqual(added.path, home.path + "/models/pool.onnx")
        XCTAssertEqual(added.inputShape, [1, 3, 32, 32])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: added.path)), try Data(contentsOf: URL(fileURLWithPath: source)))
        let spec = try UserModelSpec.read(home.path + "/models/pool.mlwb.json")
        XCTAssertEqual(spec.task, "image-to-image")
        XCTAssertEqual(spec.name, "pool")
        // No temporary files are left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted(), ["pool.mlwb.json", "pool.onnx"])

        let listed = store.list()
        XCTAssertEqual(listed.map(\.id), ["pool"])
        XCTAssertEqual(listed.first?.model?.task, .imageToImage)
        XCTAssertNil(listed.first?.problem)

        // Adding the same id again is refused; built-in ids are reserved.
        XCTAssertThrowsError(try store.add(source, task: .imageToImage, name: "pool")) { error in
            XCTAssertEqual(error as? UserModelError, .alreadyExists(id: "pool", path: added.path))
        }
        XCTAssertThrowsError(try store.add(source, task: .imageToImage, name: "deepdream")) { error in
            XCTAssertEqual(error as? UserModelError, .reservedID("deepdream"))
        }
        XCTAssertThrowsError(try store.add(source, task: .imageToImage, name: "../evil")) { error in
            XCTAssertEqual(error as? UserModelError, .invalidID("../evil"))
        }

        try store.remove("pool")
        XCTAssertTrue(store.list().isEmpty)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.directory), [])
        XCTAssertThrowsError(try store.remove("pool")) { error in
            XCTAssertEqual(error as? UserModelError, .notFound(id: "pool", available: []))
            XCTAssertTrue("\(error)".contains("no user model 'pool'"), "\(error)")
        }
    }

    func testUserModelsJoinTheRegistryAndUnusableFilesAreSkippedWithAMessage() throws {
        let source = try Self.imageModel()
        let (_, store, environment) = try makeHome()
        try store.add(source, task: .imageToImage, name: "pool")
        // A bare .onnx without a sidecar joins when its shapes make the task clear ...
        try FileManager.default.copyItem(atPath: try Self.poolClassifier(), toPath: store.directory + "/bare.onnx")
        // ... and a broken one is skipped with a message.
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: store.directory + "/broken.onnx"))

        var log: [String] = []
        let registry = ModelRegistry.standard(environment: environment) { log.append($0) }
        let builtIn = ModelRegistry.standard.models.map(\.id)
        XCTAssertEqual(Array(registry.models.map(\.id).prefix(builtIn.count)), builtIn, "built-ins stay first")
        let pool = try registry.model("pool")
        XCTAssertEqual(pool.task, .imageToImage)
        XCTAssertTrue(pool.checkpointIDs.isEmpty)
        XCTAssertEqual(try registry.model("bare").task, .classify)
        XCTAssertThrowsError(try registry.model("broken"))
        XCTAssertEqual(log.count, 1, "\(log)")
        XCTAssertTrue(log.first?.contains("broken") == true && log.first?.contains("not a usable ONNX model") == true, "\(log)")

        // The method form works on any registry.
        let other = ModelRegistry(models: []).withUserModels(environment: environment)
        XCTAssertEqual(Set(other.models.map(\.id)), ["pool", "bare"])
        // Without user models, the standard registry is the built-in one.
        let empty = try TemporaryDirectory(prefix: "mlwb-byom-empty")
        defer { empty.remove() }
        XCTAssertEqual(ModelRegistry.standard(environment: ["MLWB_HOME": empty.path]).models.map(\.id), builtIn)
    }

    // MARK: Running

    func testUserModelImageToImageRunProducesAnImageOfTheRightSize() async throws {
        let (_, store, _) = try makeHome()
        let model = try store.add(try Self.imageModel(), task: .imageToImage, name: "pool")
        let picture = ModelTestSupport.picture(width: 48, height: 40)

        guard case .image(let kept) = try await result(of: model, .image(picture)) else { return XCTFail("expected an image") }
        XCTAssertEqual([kept.width, kept.height], [48, 40], "scaled back to the input's size")

        var raw = ModelParameters(defaults: model.parameters)
        raw.set("keep-size", .bool(false))
        guard case .image(let out) = try await result(of: model, .image(picture), raw) else { return XCTFail("expected an image") }
        XCTAssertEqual([out.width, out.height], [32, 32], "the model's own output size")
        XCTAssertTrue(out.pixels.allSatisfy { (0...1).contains($0) })
        // A 2×2 max pool never darkens: compare with the resized input.
        let resized = picture.resized(width: 32, height: 32)
        for i in stride(from: 0, to: out.pixels.count, by: 97) { XCTAssertGreaterThanOrEqual(out.pixels[i], resized.pixels[i] - 1e-5) }

        // Audio is refused with a clear message.
        let clip = AudioFixtures.silence()
        var failure: String?
        let ctxDir = try TemporaryDirectory(prefix: "mlwb-byom-ctx")
        defer { ctxDir.remove() }
        let ctx = ModelContext(store: try ModelTestSupport.store(in: ctxDir), environment: [:])
        for await event in model.run(.audio(clip), parameters: raw, context: ctx) { if case .failed(let m) = event { failure = m } }
        XCTAssertEqual(failure, "pool (image-to-image) needs an image as input")
    }

    func testUserModelClassifierUsesLabelsAndSoftmax() async throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-byom-src")
        defer { dir.remove() }
        let source = dir.file("colours.onnx")
        try FileManager.default.copyItem(atPath: try Self.poolClassifier(), toPath: source)
        try "red\ngreen\nblue\n".write(toFile: dir.file("colours.labels.txt"), atomically: true, encoding: .utf8)
        let (_, store, _) = try makeHome()
        var spec = UserModelSpec(task: .classify)
        spec.normalization = "none"
        let model = try store.add(source, task: .classify, spec: spec)
        XCTAssertEqual(model.id, "colours")
        XCTAssertEqual(model.labels, ["red", "green", "blue"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.labelsPath("colours")))

        // Global average pooling of a flat colour gives the colour itself; softmax makes it a distribution.
        let image = Image(width: 20, height: 12) { _, _ in SIMD4(0.2, 0.9, 0.4, 1) }
        guard case .classes(let scores) = try await result(of: model, .image(image)) else { return XCTFail("expected classes") }
        XCTAssertEqual(scores.map(\.label), ["green", "blue", "red"])
        XCTAssertEqual(scores.map(\.index), [1, 2, 0])
        let expected = Classifier.softmax([0.2, 0.9, 0.4])
        XCTAssertEqual(scores[0].probability, expected[1], accuracy: 1e-4)
        XCTAssertEqual(scores.map(\.probability).reduce(0, +), 1, accuracy: 1e-4)
        // Without a labels file the classes are numbered.
        try FileManager.default.removeItem(atPath: store.labelsPath("colours"))
        let unlabelled = try store.model("colours")
        guard case .classes(let numbered) = try await result(of: unlabelled, .image(image)) else { return XCTFail("expected classes") }
        XCTAssertEqual(numbered.first?.label, "class 1")

        XCTAssertTrue(UserONNXModel.isDistribution([0.25, 0.75]))
        XCTAssertFalse(UserONNXModel.isDistribution([2, -1]))
    }

    func testUserModelPosteriorgramBecomesNotes() {
        var rows = [[Float]](repeating: [Float](repeating: 0, count: 88), count: 10)
        for f in 2..<6 { rows[f][39] = 0.8 }          // MIDI 60 for frames 2–5
        rows[7][48] = 0.9                              // a one-frame blip on MIDI 69 (too short)
        for f in 5..<10 { rows[f][43] = 0.6 }          // MIDI 64 to the end
        let notes = UserONNXModel.notes(posteriorgram: rows, frameDuration: 0.05, threshold: 0.5, minimumDuration: 0.08)
        XCTAssertEqual(notes.map(\.pitch), [60, 64])
        XCTAssertEqual(notes[0].start, 0.10, accuracy: 1e-9)
        XCTAssertEqual(notes[0].end, 0.30, accuracy: 1e-9)
        XCTAssertEqual(notes[0].velocity, Int((127 * 0.8 as Float).rounded()))
        XCTAssertEqual(notes[1].end, 0.50, accuracy: 1e-9)
        XCTAssertTrue(notes.allSatisfy(\.isValid))
    }

    func testInfinitePosteriorsGiveLoudNotesNotATrap() {
        var rows = [[Float]](repeating: [Float](repeating: 0, count: 88), count: 6)
        for f in 1..<5 { rows[f][39] = .infinity }     // a user model's output overflowed
        rows[2][40] = .greatestFiniteMagnitude
        rows[3][40] = .greatestFiniteMagnitude         // their sum overflows too
        rows[4][41] = .nan                             // never above the threshold
        let notes = UserONNXModel.notes(posteriorgram: rows, frameDuration: 0.05, threshold: 0.5, minimumDuration: 0.05)
        XCTAssertEqual(notes.map(\.pitch), [60, 61])
        XCTAssertEqual(notes.map(\.velocity), [127, 127])
    }

    func testSidecarsWithImpossibleSizesOrRatesAreRefused() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-sidecar")
        defer { dir.remove() }
        for (json, fragment) in [("{\"task\": \"audio-to-notes\", \"sampleRate\": 0}", "sampleRate"),
                                 ("{\"task\": \"audio-to-notes\", \"sampleRate\": 3}", "sampleRate"),
                                 ("{\"task\": \"classify\", \"inputSize\": [100000, 100000]}", "inputSize"),
                                 ("{\"task\": \"classify\", \"inputSize\": [-1, 5]}", "inputSize"),
                                 ("{\"task\": \"classify\", \"inputSize\": [5]}", "inputSize")] {
            let path = dir.file("m.json")
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try UserModelSpec.read(path), json) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
    }

    // MARK: Refusals

    func testUserModelRefusesANonONNXFileAndAWrongTask() throws {
        let (home, store, _) = try makeHome()
        let junk = home.file("junk.onnx")
        try Data("PK\u{3}\u{4} definitely not protobuf".utf8).write(to: URL(fileURLWithPath: junk))
        XCTAssertThrowsError(try store.add(junk, task: .classify)) { error in
            guard case .notONNX(let path, _)? = error as? UserModelError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, junk)
            XCTAssertTrue("\(error)".hasPrefix("\(junk) is not a usable ONNX model: "), "\(error)")
        }
        XCTAssertThrowsError(try store.add(home.file("missing.onnx"), task: .classify)) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }

        let image = try Self.imageModel()
        XCTAssertThrowsError(try store.add(image, task: .classify)) { error in
            guard case .shapeMismatch(let task, let detail)? = error as? UserModelError else { return XCTFail("\(error)") }
            XCTAssertEqual(task, "classify")
            XCTAssertTrue(detail.contains("class scores") && detail.contains("[1, 3, 32, 32]"), detail)
            XCTAssertTrue("\(error)".hasPrefix("the model does not fit the task 'classify': "), "\(error)")
        }
        XCTAssertThrowsError(try store.add(image, task: .audioToNotes)) { error in
            guard case .shapeMismatch("audio-to-notes", let detail)? = error as? UserModelError else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("mono audio input"), detail)
        }
        XCTAssertThrowsError(try UserONNXModel.parseTask("segment")) { error in
            XCTAssertEqual(error as? UserModelError, .unknownTask("segment"))
            XCTAssertEqual("\(error)", "unknown task 'segment'; a user model's task is one of classify, image-to-image, audio-to-notes")
        }
        XCTAssertThrowsError(try UserONNXModel.parseTask("pitch"))
        // Nothing was left in the folder by the refused adds.
        XCTAssertTrue(store.list().isEmpty)
    }

    // MARK: CLI

    func testUserModelCommandLine() throws {
        let source = try Self.imageModel()
        let (home, _, environment) = try makeHome()
        let junk = home.file("junk.onnx")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: junk))

        let bad = try ProcessRunner.mlwb(["models", "add", junk, "--task", "image-to-image"], environment: environment)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("is not a usable ONNX model"), bad.stderr)

        let task = try ProcessRunner.mlwb(["models", "add", source, "--task", "segment"], environment: environment)
        XCTAssertEqual(task.status, 2)
        XCTAssertTrue(task.stderr.contains("--task must be one of classify, image-to-image, audio-to-notes, got 'segment'"), task.stderr)

        let wrong = try ProcessRunner.mlwb(["models", "add", source, "--task", "classify"], environment: environment)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("does not fit the task 'classify'"), wrong.stderr)

        let add = try ProcessRunner.mlwb(["models", "add", source, "--task", "image-to-image", "--name", "pool"], environment: environment)
        XCTAssertEqual(add.status, 0, add.stderr)
        let list = try ProcessRunner.mlwb(["models", "list"], environment: environment)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("deepdream"), list.stdout)
        XCTAssertTrue(list.stdout.split(separator: "\n").contains { $0.hasPrefix("pool ") && $0.contains("image-to-image") }, list.stdout)

        let input = home.file("in.png"), output = home.file("out.png")
        try ModelTestSupport.picture(width: 30, height: 20).save(input)
        let run = try ProcessRunner.mlwb(["models", "run", "pool", input, "-o", output], environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let image = try Image.load(output)
        XCTAssertEqual([image.width, image.height], [30, 20])

        let rm = try ProcessRunner.mlwb(["models", "rm", "pool"], environment: environment)
        XCTAssertEqual(rm.status, 0, rm.stderr)
        let again = try ProcessRunner.mlwb(["models", "rm", "pool"], environment: environment)
        XCTAssertEqual(again.status, 2, "an id that names nothing is a usage mistake")
        XCTAssertTrue(again.stderr.contains("unknown user model 'pool'; there are no user models"), again.stderr)
    }
}

/// Audio inputs for the refusal checks.
enum AudioFixtures {
    static func silence() -> AudioClip { AudioClip(silenceOf: 100, sampleRate: 22_050) }
}
