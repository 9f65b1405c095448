import Foundation
import Media
import Models

/// `mlwb dream IN -o OUT.png [options]`: DeepDream with MobileNetV2; a batch run over many pictures with `--out DIR`.
enum DreamCommand: Command {
    static let output = Option<String?>("output", short: "o", value: "OUT.png", output: .file, help: "Where to write the dreamed image (required)")
    static let frames = Option<String?>("frames", value: "DIR", output: .folder, help: "Save the picture after every step as DIR/frame-0001.png, …")
    static let show = Option<Bool>(flag: "show", help: "Animate the iterations in the terminal")
    static let formats = [BatchFormat("png", suffix: ".png")]
    static let format = BatchOptions.format(formats)

    static let spec: CommandSpec = {
        let options = [output.spec] + ParameterOptions.specs(DeepDream.parameterSpecs, valueNames: ["objectives": "SPEC"])
            + [frames.spec, show.spec] + BatchOptions.specs(format: format) + DisplayOptions.specs(boxName: "show-size")
        return CommandSpec(
            name: "dream",
            abstract: "DeepDream an image with MobileNetV2",
            positionals: [.init("IN", "The image to dream on: PNG, JPEG, WebP or GIF (omit with --start noise); in batch mode files, "
                                + "folders (searched recursively) or dataset:ID[:train|test]", optional: true, variadic: true)],
            options: options,
            discussion: "Uses the checkpoint 'mobilenet_v2' (get it with 'mlwb checkpoints get mobilenet_v2'). "
                + "Layers run from features.0 (strokes, textures) to features.18 (object parts); features.14 gives the "
                + "classic dog faces and eyes. --objectives takes layer[:channel][*weight] items separated by commas, "
                + "e.g. 'features.14,features.10:5*0.5'; with a mask, mask channel i weights objective i. Ctrl-C stops "
                + "after the current step and saves the picture so far. " + BatchOptions.discussion,
            examples: ["mlwb dream photo.png -o dream.png",
                       "mlwb dream photo.png -o dream.png --layer features.12 --steps 20 --show",
                       "mlwb dream --start noise -o noise.png --size 384 --octaves 5 --seed 7",
                       "mlwb dream frames/ --out dreamed/ --steps 10"])
    }()

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        if let batch = try BatchOptions.request(arguments, command: spec.name, formats: formats, formatOption: format,
                                                singleOnly: [output, frames].map(\.spec.long) + [show.spec.long]) {
            return try runBatch(batch, arguments, context)
        }
        // Outputs and objectives are checked before minutes of dreaming, not after (and before the picture is read).
        guard let output = try arguments[output] else { throw UsageError("missing --output OUT.png") }
        let frameFolder = try arguments[frames]
        let (parameters, settings) = try checkedSettings(arguments)
        var input: Image?
        if let path = arguments.positionals.first {
            input = try Image.load(path)
        } else if settings.start != .noise {
            throw UsageError("missing argument IN, the image to dream on (or pass --start noise)")
        }
        if let frameFolder {
            try FileManager.default.createDirectory(atPath: frameFolder, withIntermediateDirectories: true)
        }
        let display = try arguments[show] ? try DisplayOptions(arguments, context: context, boxName: "show-size") : nil

        let network = try CheckpointsSupport.mobileNetV2(context)
        let renderer = DeepDreamRenderer(network: DreamNetwork(network), settings: settings)
        // Validate before touching the terminal.
        if let input, settings.start == .image { _ = try renderer.workingSize(width: input.width, height: input.height) }

        let animator = display.map { InlineAnimator(context: context, display: $0) }
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
                    if let dir = frameFolder {
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

    /// The parameters and the settings they make, checked against the network: a layer, channel or
    /// objective MobileNetV2 does not have is a usage error (before any picture is read).
    static func checkedSettings(_ arguments: ParsedArguments) throws -> (ModelParameters, DeepDreamSettings) {
        let parameters = try ParameterOptions.read(DeepDream.parameterSpecs, from: arguments)
        do {
            let settings = try DeepDream.settings(from: parameters)
            try settings.validate(layers: MobileNetV2.layerNames, channels: MobileNetV2.layerChannels)
            return (parameters, settings)
        } catch let error as DeepDreamError {
            throw UsageError(error.description)
        }
    }

    // MARK: Batch

    /// Many pictures with the network loaded once; Ctrl-C lets the current pictures finish.
    static func runBatch(_ batch: BatchOptions.Request, _ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let (parameters, settings) = try checkedSettings(arguments)
        guard settings.start == .image else { throw UsageError("--start noise dreams without an input; batch mode dreams on pictures") }
        let recorded = BatchManifest.Settings(parameters: BatchOptions.recorded(parameters, formats: batch.formats),
                                              checkpoints: try CheckpointsSupport.sha256s([MobileNetV2.checkpointID], context))
        return try BatchRunner.run(batch, extensions: ImageFormat.extensions, settings: recorded, context: context) {
            let renderer = DeepDreamRenderer(network: DreamNetwork(try CheckpointsSupport.mobileNetV2(context)), settings: settings)
            return { input, outputs in
                let image = try Image.load(input)
                _ = try renderer.workingSize(width: image.width, height: image.height)
                let outcome = try renderer.run(image, isCancelled: { false }) { _ in }
                for path in outputs { try outcome.image.save(path) }
                return "\(outcome.image.width)×\(outcome.image.height), \(outcome.steps) steps"
            }
        }
    }
}
