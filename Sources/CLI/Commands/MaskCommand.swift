import Canvas
import Foundation
import Media

/// `mlwb mask TYPE …`: ml4a-style masks rendered to PNG, as frames, or animated in the terminal.
enum MaskCommand: CommandGroup {
    static let spec = CommandSpec(
        name: "mask",
        abstract: "Make ml4a-style masks (solid, interpolation, arcs, rects, image) as PNG or animation frames",
        discussion: "Each channel of a mask is drawn in its own colour. The same settings work inline on other commands: "
            + "--mask arcs:period=30,blend=0.2.",
        examples: ["mlwb mask arcs --channels 3 --period 30 --blend 0.2 -o arcs.png",
                   "mlwb mask rects --channels 2 --period 40 --frames 40 --out frames/ --show",
                   "mlwb mask image --image photo.png --channels 4 --method kmeans -o regions.png"])

    static let subcommands: [any Command.Type] = [
        MaskTypeCommand<SolidMaskType>.self, MaskTypeCommand<InterpolationMaskType>.self, MaskTypeCommand<ArcsMaskType>.self,
        MaskTypeCommand<RectsMaskType>.self, MaskTypeCommand<ImageMaskType>.self,
    ]

    // MARK: Output options (every type)

    static let output = Option<String?>("output", short: "o", value: "OUT.png", output: .file, help: "Write the mask at time --t as a PNG (one colour per channel)")
    static let size = pixelSize("Mask size in pixels (default: 256x256, or the picture's size for image masks)")

    /// A `WxH` size in pixels (1–8192 each).
    static func pixelSize(_ help: String) -> Option<(width: Int, height: Int)?> {
        .single(OptionSpec("size", value: "WxH", help: help, rangeText: "1x1–8192x8192"), fallback: nil) { text in
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 2, let w = parts[0], let h = parts[1], (1...8192).contains(w), (1...8192).contains(h) else {
                throw UsageError("--size expects width×height in pixels like 256x256 (each 1–8192), got '\(text)'")
            }
            return (w, h)
        }
    }
    static let time = Option<Double>("t", value: "T", default: 0, help: "Time (frame number) of the mask")
    static let frames = Option<Int?>("frames", in: 1...100_000, help: "Render N frames at t, t+dt, …")
    static let timeStep = Option<Double>("dt", value: "DT", default: 1, help: "Time step between frames")
    static let folder = Option<String?>("out", value: "DIR", output: .folder, help: "Directory for the frames (frame-0000.png, …)")
    static let show = Option<Bool>(flag: "show", help: "Draw the mask (or animate the frames) in the terminal")

    static let outputSpecs = [output.spec, size.spec, time.spec, frames.spec, timeStep.spec, folder.spec, show.spec]
        + DisplayOptions.specs(boxName: "show-size")

    // MARK: Running

    /// Renders mask `type` as the arguments ask: one PNG, a folder of frames and/or an animation.
    static func render(type: String, _ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let output = try arguments[output], directory = try arguments[folder], showing = try arguments[show]  // checked before the work
        let spec = try MaskSpecOptions.spec(type: type, arguments)
        var width = 256, height = 256
        if let given = try arguments[size] {
            (width, height) = given
        } else if case .image(let mask) = spec {
            (width, height) = (mask.image.width, mask.image.height)
        }
        let t0 = try arguments[time], dt = try arguments[timeStep]
        let frameCount = try arguments[frames] ?? 0
        if frameCount > 0 && directory == nil && !showing { throw UsageError("--frames needs --out DIR (or --show to only watch them)") }
        if frameCount == 0 && output == nil && !showing { throw UsageError("say where the mask goes: -o OUT.png, --frames N --out DIR, or --show") }
        let display = showing ? try DisplayOptions(arguments, context: context, boxName: "show-size", defaultRows: 24) : nil

        var mask = spec.render(width: width, height: height, t: t0)
        if let output {
            try mask.save(to: output)
            context.print("wrote \(output) (\(width)×\(height), \(mask.channelCount) channel\(mask.channelCount == 1 ? "" : "s"))")
        }
        let animator = display.map { InlineAnimator(context: context, display: $0, maxFPS: 20) }
        defer { animator?.finish() }
        if let directory { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        for i in 0..<max(frameCount, 1) {
            if InterruptFlag.isRaised { animator?.finish(); context.printError("interrupted after \(i) frames"); return ExitStatus.interrupted }
            let t = t0 + Double(i) * dt
            if i > 0 { mask = spec.render(width: width, height: height, t: t, previous: mask) }
            if let directory, frameCount > 0 { try mask.save(to: directory + "/" + frameName(i)) }
            animator?.show(mask.colorized(), status: "mask \(type) · t = \(t) · frame \(i + 1)/\(max(frameCount, 1))")
        }
        animator?.finish()
        if let directory, frameCount > 0 { context.print("wrote \(frameCount) frames to \(directory)/") }
        return ExitStatus.success
    }

    /// `frame-0007.png`.
    static func frameName(_ i: Int) -> String {
        let digits = String(i)
        return "frame-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ".png"
    }
}

// MARK: - One subcommand per mask type

/// A mask type as `mlwb mask` names and describes it.
protocol MaskType {
    static var name: String { get }
    static var abstract: String { get }
}

enum SolidMaskType: MaskType { static let name = "solid", abstract = "Every channel everywhere (with --normalize: equal shares)" }
enum InterpolationMaskType: MaskType { static let name = "interpolation", abstract = "Cross-fades from channel to channel as t advances" }
enum ArcsMaskType: MaskType { static let name = "arcs", abstract = "Concentric rings, one channel each, moving with t" }
enum RectsMaskType: MaskType { static let name = "rects", abstract = "Bands along a line from p1 to p2, moving with t" }
enum ImageMaskType: MaskType { static let name = "image", abstract = "Regions of a picture: k-means colours, equal-area grey levels or thresholds" }

/// `mlwb mask TYPE`: the output options plus the settings of that mask type only.
enum MaskTypeCommand<Kind: MaskType>: Command {
    static var spec: CommandSpec {
        CommandSpec(name: Kind.name, abstract: Kind.abstract, options: MaskSpecOptions.specs(for: Kind.name) + MaskCommand.outputSpecs)
    }

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        try MaskCommand.render(type: Kind.name, arguments, in: context)
    }
}
