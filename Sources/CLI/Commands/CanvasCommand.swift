import Canvas
import Foundation
import Media

/// `mlwb canvas IMAGE …`: ml4a's canvas warps applied repeatedly to make feedback animation frames.
enum CanvasCommand: Command {
    static let modKeys = ["zoom", "shift", "stretch", "center", "expand", "rot-const", "rot-ang", "rot-dst",
                          "spiral-margin", "spiral-periods", "noise-rate", "noise-margin", "noise-offset"]

    static let spec = CommandSpec(
        name: "canvas",
        abstract: "Warp an image repeatedly with ml4a canvas mods (zoom, rotation, spiral, noise…) into animation frames",
        positionals: [.init("IMAGE", "The PNG to start from")],
        options: [
            .init("frames", value: "N", default: "30", "Number of frames"),
            .init("out", value: "DIR", "Directory for the frames (frame-0000.png, …)"),
            .init("show", "Animate the frames in the terminal"),
            .init("size", value: "WxH", "Resize the image to W×H pixels first"),
            .init("zoom", value: "Z", "Zoom per frame (1.02 zooms in 2%)"),
            .init("shift", value: "X,Y", "Shift per frame, as fractions of the size"),
            .init("stretch", value: "X,Y", "Stretch per frame"),
            .init("center", value: "X,Y", "Centre of zoom and rotation (default 0.5,0.5)"),
            .init("expand", value: "PX", "Push pixels away from the centre by PX pixels"),
            .init("rot-const", value: "RAD", "Rotation per frame in radians"),
            .init("rot-ang", value: "A", "Rotation proportional to the angle around the centre"),
            .init("rot-dst", value: "R", "Rotation proportional to the distance from the centre (radians per pixel)"),
            .init("spiral-margin", value: "M", "Spiral strength"),
            .init("spiral-periods", value: "P", "Spiral arms"),
            .init("noise-rate", value: "X,Y", "Noise displacement frequency"),
            .init("noise-margin", value: "X,Y", "Noise displacement in pixels"),
            .init("noise-offset", value: "X,Y", "Where in the noise field to read"),
            .init("mod", value: "K=V,…", repeatable: true, "Another mod, e.g. 'zoom=1.02,rot-const=-0.01'; several mods are blended by --mask"),
            .init("mask", value: "TYPE:K=V,…", "Mask that blends the mods per pixel, one channel per mod (e.g. 'arcs:period=40,blend=0.3')"),
            .init("colors", value: "MODE", "Colour mode for --show: truecolor, 256, 16 or none"),
        ],
        examples: ["mlwb canvas assets/images/sample.png --zoom 1.02 --rot-const 0.01 --frames 60 --out frames/",
                   "mlwb canvas photo.png --mod zoom=1.03 --mod rot-const=0.02 --mask arcs:period=30,blend=0.2 --show"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        var image = try Image.load(arguments.positionals[0]).flattened()
        if arguments.value("size") != nil {
            let size = try arguments.pair("size", default: (0, 0))
            guard size.0 >= 1, size.1 >= 1, size.0 <= 8192, size.1 <= 8192 else { throw UsageError("--size must be between 1x1 and 8192x8192") }
            image = image.resized(width: Int(size.0), height: Int(size.1))
        }
        var mods: [CanvasMod] = []
        var flat: [String: String] = [:]
        for key in modKeys { if let v = arguments.value(key) { flat[key] = v } }
        if !flat.isEmpty { mods.append(try mod(flat)) }
        for text in arguments.all("mod") {
            var values: [String: String] = [:]
            for pair in pairs(text) {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2 else { throw UsageError("--mod expects key=value pairs, got '\(pair)'") }
                values[kv[0]] = kv[1]
            }
            mods.append(try mod(values))
        }
        guard !mods.isEmpty else { throw UsageError("give at least one mod, e.g. --zoom 1.02 or --mod rot-const=0.01") }
        let maskSpec = try arguments.value("mask").map { try MaskSpecOptions.parseInline($0, channels: mods.count) }
        if let maskSpec, maskSpec.channelCount != mods.count {
            throw UsageError("the mask has \(maskSpec.channelCount) channels but there are \(mods.count) mods: give one channel per mod")
        }
        let frames = try arguments.int("frames", default: 30, in: 1...100_000)
        let directory = arguments.value("out")
        guard directory != nil || arguments.flag("show") else { throw UsageError("say where the frames go: --out DIR and/or --show") }
        if let directory { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }

        var animation = CanvasAnimation(start: image, mods: mods, mask: maskSpec)
        let animator = arguments.flag("show")
            ? InlineAnimator(context: context, display: try DisplayOptions(arguments, context: context, defaultRows: 30), maxFPS: 24)
            : nil
        defer { animator?.finish() }
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        for i in 0..<frames {
            if InterruptFlag.isRaised {
                animator?.finish()
                context.printError("interrupted after \(i) frames" + (directory.map { "; they are in \($0)/" } ?? ""))
                return ExitStatus.interrupted
            }
            guard let frame = animation.next() else { break }
            if let directory { try frame.save(directory + "/" + MaskCommand.frameName(i)) }
            animator?.show(frame, status: "canvas · frame \(i + 1)/\(frames)")
        }
        animator?.finish()
        if let directory { context.print("wrote \(frames) frames to \(directory)/") }
        return ExitStatus.success
    }

    /// A mod from option values (keys as in `modKeys`).
    static func mod(_ values: [String: String]) throws -> CanvasMod {
        var mod = CanvasMod()
        for (key, text) in values {
            func number() throws -> Double {
                guard let v = Double(text), v.isFinite else { throw UsageError("\(key) expects a number, got '\(text)'") }
                return v
            }
            func vec() throws -> Vec2 {
                let parts = text.split(separator: ",").map { Double($0) }
                guard parts.count == 2, let x = parts[0], let y = parts[1] else { throw UsageError("\(key) expects X,Y, got '\(text)'") }
                return Vec2(x: x, y: y)
            }
            switch key {
            case "zoom": mod.zoom = try number()
            case "shift": mod.shift = try vec()
            case "stretch": mod.stretch = try vec()
            case "center": mod.center = try vec()
            case "expand": mod.expand = try number()
            case "rot-const": mod.rotConst = try number()
            case "rot-ang": mod.rotAng = try number()
            case "rot-dst": mod.rotDst = try number()
            case "spiral-margin": mod.spiralMargin = try number()
            case "spiral-periods": mod.spiralPeriods = try number()
            case "noise-rate": mod.noiseRate = try vec()
            case "noise-margin": mod.noiseMargin = try vec()
            case "noise-offset": mod.noiseOffset = try vec()
            default: throw UsageError("unknown canvas mod '\(key)'; valid: \(modKeys.joined(separator: ", "))")
            }
        }
        do { try mod.validate() } catch { throw UsageError("\(error)") }
        return mod
    }

    /// Splits `k=v,k=x,y` into pairs, keeping the comma inside vector values.
    static func pairs(_ text: String) -> [String] {
        var out: [String] = []
        for piece in text.split(separator: ",").map(String.init) {
            if piece.contains("=") || out.isEmpty { out.append(piece) } else { out[out.count - 1] += "," + piece }
        }
        return out
    }
}
