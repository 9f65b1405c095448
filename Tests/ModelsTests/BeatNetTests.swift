import Audio
import Checkpoints
import Engine
import Foundation
@testable import Models
import TestSupport
import XCTest

/// The public entry points the beat tracker calls: checkpoints through the store, activations of a clip.
final class BeatNetTests: XCTestCase {
    func testCatalogHasTheThreeCheckpoints() throws {
        let catalog = try CheckpointCatalog.load(path: SharedData.asset("checkpoints.json"))
        XCTAssertEqual(BeatNet.checkpointIDs, ["beatnet_1", "beatnet_2", "beatnet_3"])
        for (n, id) in BeatNet.checkpointIDs.enumerated() {
            let entry = try catalog.entry(id)
            XCTAssertEqual(entry.file, "beatnet-model\(n + 1)-weights.pt")
            XCTAssertEqual(entry.size, 1_612_179)
            XCTAssertEqual(entry.weightFormat, .pytorchZip)
            XCTAssertTrue(entry.licence.hasPrefix("CC BY 4.0") && entry.licence.contains("Mojtaba Heydari"), entry.licence)
            XCTAssertNil(entry.problem)
        }
    }

    func testMissingCheckpointNamesTheCommand() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-beatnet")
        defer { directory.remove() }
        let context = ModelContext(store: try ModelTestSupport.store(in: directory), environment: ["MLWB_HOME": directory.path])
        XCTAssertThrowsError(try BeatNet.activations(AudioClip(silenceOf: 22_050, sampleRate: 22_050), model: 2, context: context)) { error in
            XCTAssertTrue("\(error)".contains("mlwb checkpoints get beatnet_2"), "\(error)")
        }
        XCTAssertThrowsError(try BeatNet.network(model: 4, context: context)) { error in
            XCTAssertTrue("\(error)".contains("models 1, 2 and 3"), "\(error)")
        }
    }

    /// Through an imported checkpoint: 50 activations per second, probabilities, a click track's beats on top.
    func testActivationsOfAClickTrackThroughTheStore() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-beatnet")
        defer { directory.remove() }
        let store = try ModelTestSupport.store(in: directory)
        _ = try store.importFile(try SharedData.require("weights/beatnet-model1-weights.pt"))
        let context = ModelContext(store: store, environment: ["MLWB_HOME": directory.path])
        // 8 s of 120 BPM clicks (a decaying 1 kHz burst every 0.5 s), at 44.1 kHz stereo.
        let rate = 44_100
        var samples = [Float](repeating: 0, count: 8 * rate)
        for beat in 0..<16 {
            let start = beat * rate / 2
            for i in 0..<2000 { samples[start + i] = Float(0.8 * exp(-Double(i) / 300) * sin(2 * Double.pi * 1000 * Double(i) / Double(rate))) }
        }
        let clip = AudioClip(sampleRate: rate, channels: [samples, samples])
        let act = try BeatNet.activations(clip, model: 1, context: context)
        XCTAssertEqual(act.frameCount, 400)
        XCTAssertEqual(act.duration, 8, accuracy: 1e-9)
        XCTAssertTrue(zip(act.beat, act.downbeat).allSatisfy { $0 >= 0 && $1 >= 0 && $0 + $1 <= 1.0001 })
        // Every click from the second on is near a local peak of beat + downbeat well above the frames between clicks.
        let s = zip(act.beat, act.downbeat).map { $0 + $1 }
        var onClicks: [Float] = [], between: [Float] = []
        for beat in 1..<15 {
            let f = beat * 25
            onClicks.append(s[(f - 2)...(f + 2)].max()!)
            between.append(s[f + 12])
        }
        XCTAssertGreaterThan(onClicks.min()!, 0.3, "\(onClicks)")
        XCTAssertLessThan(between.max()!, 0.1, "\(between)")
        // Silence and a 0.3 s clip: no crash, finite results.
        let quiet = try BeatNet.activations(AudioClip(silenceOf: 6615, sampleRate: 22_050), model: 1, context: context)
        XCTAssertEqual(quiet.frameCount, 15)
        XCTAssertTrue(quiet.beat.allSatisfy { $0.isFinite })
        XCTAssertEqual(try BeatNet.activations(AudioClip(silenceOf: 0, sampleRate: 22_050), model: 1, context: context).frameCount, 0)
    }

    /// Online: a stream fed piece by piece equals the offline activations.
    func testStreamEqualsOfflineActivations() throws {
        let network = try BeatNetNetwork.load(path: try SharedData.require("weights/beatnet-model3-weights.pt"))
        let features = Tensor.uniform([120, 272], in: 0...1, seed: 12)
        let offline = try BeatNet.activations(features: features, network: network)
        let stream = BeatNetStream(network: network)
        var beat: [Float] = []
        for start in stride(from: 0, to: 120, by: 40) {
            let piece = Tensor(shape: [40, 272], scalars: Array(features.scalars[(start * 272)..<((start + 40) * 272)]))
            beat += try stream.process(features: piece).beat
        }
        for (a, b) in zip(beat, offline.beat) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        stream.reset()
        XCTAssertEqual(try stream.process(features: features).beat, offline.beat)
    }
}
