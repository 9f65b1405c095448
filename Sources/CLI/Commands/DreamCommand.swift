import Foundation
import Media
import Models

/// `mlwb dream IN.png -o OUT.png [options]`: DeepDream with MobileNetV2.
enum DreamCommand: Command {
    /// Parameter names that are spelled differently on the command line.
    static let optionHelp: [String: String] = ["objectives": "SPEC"]

    static let spec: CommandSpec = {
        var options: [CommandSpec.Option] = [
            .init("output", short: "o", value: "OUT.png", "Where to write the dreamed image (required)"),
        ]
        for p in DeepDream.parameterSpecs {
            let value: String
            switch p.kind {
            case .int: value = "N"
            case .double: value = "X"
            case .bool: value = "yes|no"
            case .choice(let c): value = c.count <= 3 ? c.joined(separator: "|") : "NAME"
            case .text: value = optionHelp[p.name] ?? "TEXT"
            case .path: value = "FILE.png"
            }
            options.append(.init(p.name, value: value, default: p.defaultValue.description.isEmpty ? nil : p.defaultValue.description, p.help))
        }
        options += [
            .init("frames", value: "DIR", "Save the picture after every step as DIR/frame-0001.png, …"),
            .init("show", "Animate the iterations in the terminal"),
            .init("show-size", value: "WxH", "With --show: fit into W×H terminal cells (default: the terminal)"),
            .init("colors", value: "MODE", "With --show: truecolor, 256, 16 or none (default: detected)"),
        ]
        return CommandSpec(
            name: "dream",
            abstract: "DeepDream an image with MobileNetV2",
            positionals: [.init("IN.png", "The image to dream on (omit with --start noise)", optional: true)],
            options: options,
            discussion: "Uses the checkpoint 'mobilenet_v2' (get it with 'mlwb checkpoints get mobilenet_v2'). "
                + "Layers run from features.0 (strokes, textures) to features.18 (object parts); features.14 gives the "
                + "classic dog faces and eyes. --objectives takes layer[:channel][*weight] items separated by commas, "
                + "e.g. 'features.14,features.10:5*0.5'; with a mask, mask channel i weights objective i. Ctrl-C stops "
                + "after the current step and saves the picture so far.",
            examples: ["mlwb dream photo.png -o dream.png",
                       "mlwb dream photo.png -o dream.png --layer features.12 --steps 20 --show",
                       "mlwb dream --start noise -o noise.png --size 384 --octaves 5 --seed 7"])
    }()

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        guard let output = arguments.value("output") else { throw UsageError("missing --output OUT.png") }
        var parameters = ModelParameters(defaults: DeepDream.parameterSpecs)
        for p in DeepDream.parameterSpecs {
            guard let text = arguments.value(p.name) else { continue }
            do { parameters.set(p.name, try p.parse(text)) } catch let e as ParameterError { throw UsageError(e.message) }
        }
        let settings = try DeepDream.settings(from: parameters)
        var input: Image?
        if let path = arguments.positionals.first {
            input = try Image.load(path)
        } else if settings.start != .noise {
            throw UsageError("missing argument IN.png (or pass --start noise)")
        }
        if let dir = arguments.value("frames") {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }

        let network = try CheckpointsSupport.mobileNetV2(context)
        let renderer = DeepDreamRenderer(network: DreamNetwork(network), settings: settings)
        // Validate before touching the terminal.
        try renderer.network.validate(settings.objectives)
        if let input, settings.start == .image { _ = try renderer.workingSize(width: input.width, height: input.height) }

        var animator: InlineAnimator?
        if arguments.flag("show") {
            var displayArguments = arguments
            displayArguments.values["size"] = arguments.values["show-size"]
            let display = try DisplayOptions(displayArguments, context: context)
            animator = InlineAnimator(context: context, display: display)
        }
        let progressOnTTY = context.stderrIsTTY && animator == nil
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        var frameNumber = 0
        var lastStatus = ""
        let outcome: DeepDreamRenderer.Outcome
        do {
            outcome = try renderer.run(input, isCancelled: { InterruptFlag.isRaised }) { update in
                switch update {
                case .progress(_, let status):
                    lastStatus = status
                    if progressOnTTY { context.writeError("\r\u{1B}[2K" + status) }
                case .frame(let image, _):
                    frameNumber += 1
                    if let dir = arguments.value("frames") {
                        let name = dir + "/" + String(format: "frame-%04d.png", frameNumber)
                        do { try image.save(name) } catch { context.printError("mlwb dream: cannot save \(name): \(error)") }
                    }
                    animator?.show(image, status: lastStatus)
                case .log(let line):
                    if animator == nil { context.printError(line) }
                }
            }
        } catch {
            animator?.finish()
            if progressOnTTY { context.writeError("\n") }
            throw error
        }
        animator?.finish()
        if progressOnTTY { context.writeError("\n") }
        try outcome.image.save(output)
        if outcome.cancelled {
            context.printError("interrupted after \(outcome.steps) steps; the picture so far is in \(output)")
            return ExitStatus.interrupted
        }
        context.print("wrote \(output) (\(outcome.image.width)×\(outcome.image.height), \(outcome.steps) steps)")
        return ExitStatus.success
    }
}
