import Canvas
import Foundation
import Media

/// `mlwb mask TYPE …`: ml4a-style masks rendered to PNG, as frames, or animated in the terminal.
enum MaskCommand: Command {
    static let spec = CommandSpec(
        name: "mask",
        abstract: "Make ml4a-style masks (solid, interpolation, arcs, rects, image) as PNG or animation frames",
        positionals: [.init("TYPE", "solid, interpolation, arcs, rects or image")],
        options: [
            .init("output", short: "o", value: "OUT.png", "Write the mask at time --t as a PNG (one colour per channel)"),
            .init("size", value: "WxH", default: "256x256", "Mask size in pixels"),
            .init("t", value: "T", default: "0", "Time (frame number) of the mask"),
            .init("frames", value: "N", "Render N frames at t, t+dt, …"),
            .init("dt", value: "DT", default: "1", "Time step between frames"),
            .init("out", value: "DIR", "Directory for the frames (frame-0000.png, …)"),
            .init("show", "Draw the mask (or animate the frames) in the terminal"),
            .init("colors", value: "MODE", "Colour mode for --show: truecolor, 256, 16 or none"),
        ] + MaskSpecOptions.specOptions,
        examples: ["mlwb mask arcs --channels 3 --period 30 --blend 0.2 -o arcs.png",
                   "mlwb mask rects --channels 2 --period 40 --frames 40 --out frames/ --show",
                   "mlwb mask image --image photo.png --channels 4 --method kmeans -o regions.png"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let type = arguments.positionals[0]
        var values: [String: String] = [:]
        for option in MaskSpecOptions.specOptions {
            if let v = arguments.value(option.long) { values[option.long] = option.isFlag ? "" : v }
        }
        let spec = try MaskSpecOptions.spec(type: type, values: values)
        let size = try arguments.pair("size", default: (256, 256))
        let width = Int(size.0), height = Int(size.1)
        guard width > 0, height > 0, width <= 8192, height <= 8192 else { throw UsageError("--size must be between 1x1 and 8192x8192") }
        let t0 = try arguments.double("t", default: 0)
        let dt = try arguments.double("dt", default: 1)
        let frameCount = try arguments.int("frames", default: 0, in: 0...100_000)
        let output = arguments.value("output"), directory = arguments.value("out")
        if frameCount > 0 && directory == nil && !arguments.flag("show") {
            throw UsageError("--frames needs --out DIR (or --show to only watch them)")
        }
        if frameCount == 0 && output == nil && !arguments.flag("show") {
            throw UsageError("say where the mask goes: -o OUT.png, --frames N --out DIR, or --show")
        }

        var mask = spec.render(width: width, height: height, t: t0)
        if let output {
            try mask.save(to: output)
            context.print("wrote \(output) (\(width)×\(height), \(mask.channelCount) channel\(mask.channelCount == 1 ? "" : "s"))")
        }
        let animator = arguments.flag("show")
            ? InlineAnimator(context: context, display: try DisplayOptions(arguments, context: context, defaultRows: 24), maxFPS: 20)
            : nil
        defer { animator?.finish() }
        if let directory { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        for i in 0..<max(frameCount, 1) {
            if InterruptFlag.isRaised { animator?.finish(); context.printError("interrupted after \(i) frames"); return ExitStatus.interrupted }
            let t = t0 + Double(i) * dt
            if i > 0 { mask = spec.render(width: width, height: height, t: t, previous: mask) }
            if let directory, frameCount > 0 {
                try mask.save(to: directory + "/" + frameName(i))
            }
            animator?.show(mask.colorized(), status: "mask \(type) · t = \(t) · frame \(i + 1)/\(max(frameCount, 1))")
        }
        animator?.finish()
        if let directory, frameCount > 0 { context.print("wrote \(frameCount) frames to \(directory)/") }
        return ExitStatus.success
    }

    static func frameName(_ i: Int) -> String {
        let digits = String(i)
        return "frame-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ".png"
    }
}
