import Foundation
import XCTest
import Media
import TestSupport
@testable import Canvas

/// The committed mask asset and its generator, plus optional preview images for eyeballing.
final class CanvasAssetTests: XCTestCase {
    /// How `assets/masks/arcs-3.png` is made (keep in step with assets/README.md).
    static let arcsAssetSpec = MaskSpec.arcs(ArcsMask(channels: 3, radius: 0.15))

    /// Rewrites the asset; runs only with MLWB_REGENERATE_ASSETS=1.
    func testRegenerateArcsAsset() throws {
        guard ProcessInfo.processInfo.environment["MLWB_REGENERATE_ASSETS"] == "1" else {
            throw XCTSkip("set MLWB_REGENERATE_ASSETS=1 to rewrite assets/masks/arcs-3.png")
        }
        let path = SharedData.asset("masks/arcs-3.png")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Self.arcsAssetSpec.render(width: 256, height: 256, t: 0).save(to: path)
    }

    func testArcsAssetLoadsAsThreeChannelRings() throws {
        let path = SharedData.asset("masks/arcs-3.png")
        let mask = try Mask.load(path)
        XCTAssertEqual(mask.width, 256)
        XCTAssertEqual(mask.height, 256)
        XCTAssertEqual(mask.channelCount, 3)
        let expected = Self.arcsAssetSpec.render(width: 256, height: 256, t: 0)
        XCTAssertEqual(mask, expected, "the committed file is exactly what the generator renders")
        XCTAssertEqual(mask.argmax()[128 * 256 + 128], 0, "channel 0 at the centre")
    }

    /// Writes masks and warps as PNGs to $MLWB_CANVAS_PREVIEW for a visual check.
    func testWritePreviews() throws {
        guard let dir = ProcessInfo.processInfo.environment["MLWB_CANVAS_PREVIEW"], !dir.isEmpty else {
            throw XCTSkip("set MLWB_CANVAS_PREVIEW to a directory to write preview images")
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func out(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
        let size = 192
        let arcs = ArcsMask(channels: 3, period: 10, radius: 0.15, blend: 0.3, normalize: true)
        for t in [0.0, 5, 10] {
            try arcs.render(width: size, height: size, t: t).save(to: out("arcs-t\(Int(t)).png"))
        }
        try RectsMask(channels: 4, period: 10).render(width: size, height: size, t: 3).save(to: out("rects.png"))
        try RectsMask(channels: 3, p1: Vec2(x: 0.2, y: 0.2), p2: Vec2(x: 0.8, y: 0.5), width: 0.4, blend: 0.4)
            .render(width: size, height: size, t: 0).save(to: out("rects-narrow.png"))
        let grid = CanvasPattern.grid(width: size, height: size)
        try grid.save(out("grid.png"))
        let mods: [(String, CanvasMod)] = [
            ("zoom-rot", CanvasMod(zoom: 1.05, rotConst: 0.05)),
            ("spiral", CanvasMod(zoom: 0.98, rotDst: 0.004, spiralMargin: 0.05, spiralPeriods: 6)),
            ("noise", CanvasMod(noiseRate: Vec2(3), noiseMargin: Vec2(4))),
            ("shift", CanvasMod(shift: Vec2(x: 0.02, y: 0.01), stretch: Vec2(x: 1.01, y: 1))),
        ]
        for (name, mod) in mods {
            var animation = CanvasAnimation(start: grid, mods: [mod])
            let frames = animation.frames(11)
            try frames[10].save(out("warp-\(name).png"))
        }
        var masked = CanvasAnimation(start: grid, mods: [CanvasMod(zoom: 1.04, rotConst: 0.04),
                                                         CanvasMod(zoom: 0.96, rotConst: -0.04)],
                                     mask: .arcs(ArcsMask(channels: 2, period: 20, radius: 0.25, blend: 0.2)))
        try masked.frames(21)[20].save(out("warp-masked.png"))
    }
}
