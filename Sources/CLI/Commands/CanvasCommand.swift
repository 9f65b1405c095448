import Canvas
import Foundation
import Media

/// `mlwb canvas IMAGE …`: ml4a's canvas warps applied repeatedly to make feedback animation frames.
enum CanvasCommand: Command {
    static let frames = Option<Int>("frames", default: 30, in: 1...100_000, help: "Number of frames")
    static let folder = Option<String?>("out", value: "DIR", output: .folder, help: "Directory for the frames (frame-0000.png, …)")
    static let show = Option<Bool>(flag: "show", help: "Animate the frames in the terminal")
    static let size = MaskCommand.pixelSize("Resize the image to W×H pixels first")
    static let mods = Option<[String]>("mod", repeating: "K=V,…",
                                       help: "Another mod, e.g. 'zoom=1.02,rot-const=-0.01'; several mods are blended by --mask")
    static let mask = Option<String?>("mask", value: "TYPE:K=V,…",
                                      help: "Mask that blends the mods per pixel, one channel per mod (e.g. 'arcs:period=40,blend=0.3')")

    static let spec = CommandSpec(
        name: "canvas",
        abstract: "Warp an image repeatedly with ml4a canvas mods (zoom, rotation, spiral, noise…) into animation frames",
        positionals: [.init("IMAGE", "The picture to start from (PNG, JPEG, WebP or GIF)")],
        options: [frames.spec, folder.spec, show.spec, size.spec]
            + CanvasModOptions.specs + [mods.spec, mask.spec] + DisplayOptions.specs(boxName: "show-size"),
        examples: ["mlwb canvas assets/images/sample.png --zoom 1.02 --rot-const 0.01 --frames 60 --out frames/",
                   "mlwb canvas photo.png --mod zoom=1.03 --mod rot-const=0.02 --mask arcs:period=30,blend=0.2 --show"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let directory = try arguments[folder], showing = try arguments[show]  // checked before the work
        var modList: [CanvasMod] = []
        if CanvasModOptions.anyGiven(in: arguments) { modList.append(try CanvasModOptions.mod(arguments)) }
        for text in try arguments[mods] { modList.append(try CanvasModOptions.mod(inline: text)) }
        guard !modList.isEmpty else { throw UsageError("give at least one mod, e.g. --zoom 1.02 or --mod rot-const=0.01") }
        let maskSpec = try arguments[mask].map { try MaskSpecOptions.parseInline($0, channels: modList.count) }
        if let maskSpec, maskSpec.channelCount != modList.count {
            throw UsageError("the mask has \(maskSpec.channelCount) channels but there are \(modList.count) mods: give one channel per mod")
        }
        let frameCount = try arguments[frames]
        guard directory != nil || showing else { throw UsageError("say where the frames go: --out DIR and/or --show") }
        let display = showing ? try DisplayOptions(arguments, context: context, boxName: "show-size", defaultRows: 30) : nil

        var image = try Image.load(arguments.positionals[0]).flattened()
        if let (width, height) = try arguments[size] { image = image.resized(width: width, height: height) }
        if let directory { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }

        var animation = CanvasAnimation(start: image, mods: modList, mask: maskSpec)
        let animator = display.map { InlineAnimator(context: context, display: $0, maxFPS: 24) }
        defer { animator?.finish() }
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        for i in 0..<frameCount {
            if InterruptFlag.isRaised {
                animator?.finish()
                context.printError("interrupted after \(i) frames" + (directory.map { "; they are in \($0)/" } ?? ""))
                return ExitStatus.interrupted
            }
            guard let frame = animation.next() else { break }
            if let directory { try frame.save(directory + "/" + MaskCommand.frameName(i)) }
            animator?.show(frame, status: "canvas · frame \(i + 1)/\(frameCount)")
        }
        animator?.finish()
        if let directory { context.print("wrote \(frameCount) frames to \(directory)/") }
        return ExitStatus.success
    }
}
