import Foundation
import Media
import Models

/// `mlwb classify IMAGE... [--top 5]`: ImageNet classes with MobileNetV2; with `--out DIR`, folders or
/// `dataset:ID`, a batch run writing one CSV per image.
enum ClassifyCommand: Command {
    static let formats = [BatchFormat("csv", suffix: ".classes.csv")]
    static let format = BatchOptions.format(formats)

    static let spec = CommandSpec(
        name: "classify",
        abstract: "Name what is in photos (ImageNet classes, MobileNetV2)",
        positionals: [.init("IMAGE", "Images to classify (PNG, JPEG, WebP or GIF); with --out also folders (searched recursively) "
                            + "or dataset:ID[:train|test]", variadic: true)],
        options: ParameterOptions.specs(Classifier.parameterSpecs, shorts: ["top": "k"]) + BatchOptions.specs(format: format),
        discussion: "Uses the checkpoint 'mobilenet_v2' (get it with 'mlwb checkpoints get mobilenet_v2'). "
            + "Images are preprocessed as torchvision does: shorter side 256 (antialiased bilinear), centre crop 224. "
            + "Several files without --out print their classes one after another. " + BatchOptions.discussion,
        examples: ["mlwb classify photo.png", "mlwb classify --top 3 a.png b.png",
                   "mlwb classify photos/ --out classes/ --jobs 2"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        // Several files without --out print their classes as before; --out, a folder or a dataset is a batch run.
        let batch = try BatchOptions.request(arguments, command: spec.name, formats: formats, formatOption: format, singleOnly: [],
                                             severalFilesAreBatch: false)
        let parameters = try ParameterOptions.read(Classifier.parameterSpecs, from: arguments)
        let top = parameters.int("top") ?? 5
        if let batch { return try runBatch(batch, parameters, top: top, context) }
        let network = try CheckpointsSupport.mobileNetV2(context)
        let names = ImageNetClasses.load(environment: context.environment)
        if names == nil { context.printError("note: assets/imagenet-classes.txt not found; printing class numbers") }
        var failed = false
        for (n, path) in arguments.positionals.enumerated() {
            do {
                let image = try Image.load(path)
                let scores = try Classifier.classify(image, network: network, top: top, classNames: names)
                if arguments.positionals.count > 1 {
                    if n > 0 { context.print("") }
                    context.print("\(path):")
                }
                for s in scores {
                    context.print(String(format: "  %6.2f%%  ", Double(s.probability) * 100) + s.label + "  (\(s.index))")
                }
            } catch {
                context.printError(error is MediaError ? "mlwb classify: error: \(error)" : "mlwb classify: \(path): \(error)")
                failed = true
            }
        }
        return failed ? ExitStatus.failure : ExitStatus.success
    }

    // MARK: Batch

    /// Many images with the network loaded once: `<stem>.classes.csv` (rank,index,label,probability) per image.
    static func runBatch(_ batch: BatchOptions.Request, _ parameters: ModelParameters, top: Int, _ context: CommandContext) throws -> Int32 {
        let recorded = BatchManifest.Settings(parameters: BatchOptions.recorded(parameters, formats: batch.formats),
                                              checkpoints: try CheckpointsSupport.sha256s([MobileNetV2.checkpointID], context))
        return try BatchRunner.run(batch, extensions: ImageFormat.extensions, settings: recorded, context: context) {
            let network = try CheckpointsSupport.mobileNetV2(context)
            let names = ImageNetClasses.load(environment: context.environment)
            if names == nil { context.printError("note: assets/imagenet-classes.txt not found; writing class numbers") }
            return { input, outputs in
                let scores = try Classifier.classify(try Image.load(input), network: network, top: top, classNames: names)
                for path in outputs { try AtomicFile.write(Array(ResultFile.classesCSV(scores).utf8), to: path) }
                return scores.first.map { String(format: "%@ %.1f%%", $0.label, Double($0.probability) * 100) } ?? "no classes"
            }
        }
    }
}
