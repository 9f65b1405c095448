import Canvas
import Engine
import Foundation
import Media
@testable import Models
import Synchronization
import TestSupport
import XCTest

final class DeepDreamTests: XCTestCase {
    func dream(_ settings: DeepDreamSettings, _ image: Image? = ModelTestSupport.picture(),
               network: DreamNetwork = ModelTestSupport.tinyNetwork()) throws -> DeepDreamRenderer.Outcome {
        try DeepDreamRenderer(network: network, settings: settings).run(image)
    }

    func maxDifference(_ a: Image, _ b: Image) -> Float {
        zip(a.pixels, b.pixels).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    func testChangesTheImageAndIsReproducible() throws {
        let input = ModelTestSupport.picture()
        var s = ModelTestSupport.quickSettings()
        s.seed = 5
        let a = try dream(s, input)
        XCTAssertEqual(a.steps, 2)
        XCTAssertFalse(a.cancelled)
        XCTAssertEqual(a.image.width, input.width)
        XCTAssertGreaterThan(maxDifference(a.image, input), 0.01, "a dream changes the picture")
        XCTAssertEqual(try dream(s, input).image, a.image, "same seed, same picture")
        s.seed = 6
        XCTAssertGreaterThan(maxDifference(try dream(s, input).image, a.image), 1e-4, "another seed, another jitter")
    }

    func testOctavesTilesAndNoiseStart() throws {
        var s = ModelTestSupport.quickSettings(layer: "features.0")
        s.octaves = 3
        s.octaveScale = 1.3
        s.steps = 1
        s.tileSize = 64
        s.size = 100  // longer side 100 → 100×83, tiled 2×2
        let out = try dream(s, ModelTestSupport.picture(width: 60, height: 50))
        XCTAssertEqual(out.steps, 3)
        XCTAssertEqual([out.image.width, out.image.height], [100, 83])
        var halving = s
        halving.octaveScale = 2  // 100×83 → 50×41 → 25×20 (below 32 px: dropped)
        XCTAssertEqual(DeepDreamRenderer(network: ModelTestSupport.tinyNetwork(), settings: halving).octaveSizes(width: 100, height: 83).map(\.width),
                       [100, 50], "octaves below 32 px are dropped")
        var broken = s
        broken.octaveScale = .nan  // not a usable scale: one octave, not a trap
        XCTAssertEqual(DeepDreamRenderer(network: ModelTestSupport.tinyNetwork(), settings: broken).octaveSizes(width: 100, height: 83).count, 1)
        s.start = .noise
        s.size = 40
        s.seed = 1
        let noise = try dream(s, nil)
        XCTAssertEqual([noise.image.width, noise.image.height], [40, 40])
        s.seed = 2
        XCTAssertNotEqual(try dream(s, nil).image, noise.image)
    }

    func testCancellationStopsWithinOneStep() throws {
        var s = ModelTestSupport.quickSettings()
        s.steps = 50
        let steps = Mutex(0)
        var frames = 0
        let out = try DeepDreamRenderer(network: ModelTestSupport.tinyNetwork(), settings: s).run(
            ModelTestSupport.picture(), isCancelled: { steps.withLock { $0 } >= 1 }) { update in
                if case .progress = update { steps.withLock { $0 += 1 } }
                if case .frame = update { frames += 1 }
            }
        XCTAssertTrue(out.cancelled)
        XCTAssertEqual(out.steps, 1)
        XCTAssertEqual(frames, 1)
    }

    func testProgressStatusNamesOctaveStepAndRate() throws {
        var s = ModelTestSupport.quickSettings()
        s.octaves = 2
        s.octaveScale = 1.2
        var statuses: [String] = []
        var fractions: [Double] = []
        _ = try DeepDreamRenderer(network: ModelTestSupport.tinyNetwork(), settings: s).run(ModelTestSupport.picture(), emit: { u in
            if case .progress(let f, let status) = u { statuses.append(status); fractions.append(f) }
        })
        XCTAssertEqual(statuses.count, 4)
        XCTAssertTrue(statuses[2].hasPrefix("octave 2/2 · step 1/2 · "), statuses[2])
        XCTAssertTrue(statuses[2].hasSuffix(" it/s"), statuses[2])
        XCTAssertEqual(fractions.last, 1)
        // Progress weighs steps by their octave's size: the small octave's two steps are less than half the work.
        XCTAssertEqual(fractions, fractions.sorted())
        XCTAssertLessThan(fractions[1], 0.5)
        XCTAssertGreaterThan(fractions[1], 0.2)
    }

    func testMaskRestrictsChangesToTheMaskedArea() throws {
        let input = ModelTestSupport.picture()
        let mask = Mask(width: 24, height: 20, channels: 1) { x, _, _ in x < 12 ? 1 : 0 }  // left half, resized to the image
        var s = ModelTestSupport.quickSettings()
        s.mask = mask
        let out = try dream(s, input)
        var left: Float = 0, right: Float = 0
        for y in 0..<input.height {
            for x in 0..<input.width {
                let a = out.image.pixel(x, y), b = input.pixel(x, y)
                let d = max(abs(a.x - b.x), abs(a.y - b.y), abs(a.z - b.z))
                if x < 20 { left = max(left, d) } else if x >= 28 { right = max(right, d) }
            }
        }
        XCTAssertGreaterThan(left, 0.01)
        XCTAssertLessThan(right, 1e-6, "nothing changes where the mask is 0")
    }

    func testErrorsSayWhatIsValid() throws {
        var s = ModelTestSupport.quickSettings(layer: "features.99")
        XCTAssertThrowsError(try dream(s)) { error in
            XCTAssertEqual(error as? DeepDreamError, .unknownLayer("features.99", valid: ["features.0", "features.1"]))
            XCTAssertTrue("\(error)".contains("valid layers: features.0, features.1"), "\(error)")
        }
        s.objectives = [DeepDreamObjective(layer: "features.1", channel: 12)]
        XCTAssertThrowsError(try dream(s)) { error in XCTAssertTrue("\(error)".contains("channels 0…11"), "\(error)") }
        s = ModelTestSupport.quickSettings()
        s.size = 0
        XCTAssertThrowsError(try dream(s, Image(width: 5000, height: 8))) { error in
            XCTAssertEqual(error as? DeepDreamError, .imageTooLarge(width: 5000, height: 8, limit: DeepDreamSettings.maxSide))
            XCTAssertTrue("\(error)".contains("4096"), "\(error)")
        }
        s.mask = Mask(width: 4, height: 4, channels: 3)
        XCTAssertThrowsError(try dream(s)) { error in XCTAssertEqual(error as? DeepDreamError, .maskChannels(mask: 3, objectives: 1)) }
        XCTAssertThrowsError(try DeepDreamObjective.parse("features.3:x"))
        // The real layer list: every MobileNetV2 block.
        XCTAssertThrowsError(try DreamNetwork(try MobileNetV2(weights: MobileNetV2Graph.randomStateDict())).validate([DeepDreamObjective(layer: "conv5")])) { error in
            XCTAssertTrue("\(error)".contains("features.0, features.1, features.2"), "\(error)")
            XCTAssertTrue("\(error)".contains("features.18"), "\(error)")
        }
    }

    func testObjectivesAndParameters() throws {
        XCTAssertEqual(try DeepDreamObjective.parseList("features.14, features.10:5*0.5 features.3:-1"), [
            DeepDreamObjective(layer: "features.14"), DeepDreamObjective(layer: "features.10", channel: 5, weight: 0.5),
            DeepDreamObjective(layer: "features.3"),
        ])
        var p = ModelParameters(defaults: DeepDream.parameterSpecs)
        let defaults = try DeepDream.settings(from: p)
        XCTAssertEqual(defaults.objectives, [DeepDreamObjective(layer: "features.14")])
        XCTAssertEqual([defaults.octaves, defaults.steps, defaults.jitter, defaults.lapLevels, defaults.size], [4, 10, 32, 4, 512])
        XCTAssertEqual(defaults.octaveScale, 1.4)
        let layer = DeepDream.parameterSpecs.first { $0.name == "layer" }!
        XCTAssertEqual(layer.kind, .choice((0...18).map { "features.\($0)" }))
        XCTAssertThrowsError(try layer.parse("features.19"))
        p.set("layer", .string("features.7")); p.set("channel", .int(3)); p.set("seed", .int(9)); p.set("normalize", .bool(false))
        let s = try DeepDream.settings(from: p)
        XCTAssertEqual(s.objectives, [DeepDreamObjective(layer: "features.7", channel: 3)])
        XCTAssertEqual(s.seed, 9)
        XCTAssertFalse(s.normalizeGradients)
        p.set("objectives", .string("features.2,features.5:1"))
        XCTAssertEqual(try DeepDream.settings(from: p).objectives.count, 2)
    }

    func testMultipleObjectivesWithMaskChannels() throws {
        var s = ModelTestSupport.quickSettings()
        s.objectives = [DeepDreamObjective(layer: "features.0", channel: 2), DeepDreamObjective(layer: "features.1", weight: 0.5)]
        s.mask = Mask(width: 48, height: 40, channels: 2) { x, _, c in (x < 24) == (c == 0) ? 1 : 0 }
        s.score = .mean
        let out = try dream(s)
        XCTAssertGreaterThan(maxDifference(out.image, ModelTestSupport.picture()), 0.01)
    }

    func testLaplacianPyramidRoundTripsAndNormalises() {
        var x = PlanarImage(width: 37, height: 29)
        for i in x.data.indices { x.data[i] = sinf(Float(i) * 0.37) + Float(i % 7) * 0.1 }
        let levels = LaplacianPyramid.split(x, levels: 3)
        XCTAssertEqual(levels.map(\.width), [37, 37 - 18, 10, 5])
        let back = LaplacianPyramid.merge(levels)
        XCTAssertLessThan(zip(back.data, x.data).reduce(0) { max($0, abs($1.0 - $1.1)) }, 1e-4)
        let n = LaplacianPyramid.normalize(x, levels: 3)
        XCTAssertTrue(n.data.allSatisfy(\.isFinite))
        XCTAssertEqual(LaplacianPyramid.normalize(x, levels: 0), x)
        // Each normalised level has unit RMS, so the scale of the input does not matter.
        var scaled = x
        for i in scaled.data.indices { scaled.data[i] *= 1000 }
        let m = LaplacianPyramid.normalize(scaled, levels: 3)
        XCTAssertLessThan(zip(m.data, n.data).reduce(0) { max($0, abs($1.0 - $1.1)) }, 1e-3)
    }

    /// A small real run through MobileNetV2 with the model's event stream, and cancellation through the task.
    func testRealNetworkStreamAndCancel() async throws {
        let home = try TemporaryDirectory(prefix: "mlwb-models")
        defer { home.remove() }
        let context = try ModelTestSupport.contextWithRealWeights(home)
        var p = ModelParameters(defaults: DeepDream.parameterSpecs)
        p.set("size", .int(64)); p.set("octaves", .int(1)); p.set("steps", .int(2)); p.set("layer", .string("features.10"))
        let input = ModelTestSupport.picture(width: 80, height: 64)
        var frames = 0, result: Image?
        for await event in DeepDream().run(.image(input), parameters: p, context: context) {
            switch event {
            case .frame: frames += 1
            case .finished(.image(let image)): result = image
            case .failed(let m): XCTFail(m)
            default: break
            }
        }
        XCTAssertEqual(frames, 2)
        let image = try XCTUnwrap(result)
        XCTAssertEqual([image.width, image.height], [64, 51])

        // Cancel after the first frame: the stream ends within a step, without a result.
        p.set("steps", .int(500))
        let stream = DeepDream().run(.image(input), parameters: p, context: context)
        let consumer = Task { () -> (Int, Bool) in
            var frames = 0, finished = false
            for await event in stream {
                if case .frame = event { frames += 1; if frames == 1 { withUnsafeCurrentTask { $0?.cancel() } } }
                if case .finished = event { finished = true }
            }
            return (frames, finished)
        }
        let started = Date()
        let (seen, finished) = await consumer.value
        XCTAssertFalse(finished)
        XCTAssertLessThan(seen, 5)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }

    func testMissingCheckpointIsNamedByTheDreamModel() async throws {
        let home = try TemporaryDirectory(prefix: "mlwb-models")
        defer { home.remove() }
        let context = ModelContext(store: try ModelTestSupport.store(in: home), environment: [:])
        var failure = ""
        for await event in DeepDream().run(.image(ModelTestSupport.picture()), parameters: ModelParameters(defaults: DeepDream.parameterSpecs), context: context) {
            if case .failed(let m) = event { failure = m }
        }
        XCTAssertTrue(failure.contains("checkpoint 'mobilenet_v2'"), failure)
        XCTAssertTrue(failure.contains("mlwb checkpoints get mobilenet_v2"), failure)
    }
}
