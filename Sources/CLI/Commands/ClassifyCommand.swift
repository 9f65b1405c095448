import Foundation
import Media
import Models

/// `mlwb classify IMAGE... [--top 5]`: ImageNet classes with MobileNetV2.
enum ClassifyCommand: Command {
    static let spec = CommandSpec(
        name: "classify",
        abstract: "Name what is in photos (ImageNet classes, MobileNetV2)",
        positionals: [.init("IMAGE", "Images to classify (PNG, JPEG, WebP or GIF)", variadic: true)],
        options: ParameterOptions.specs(Classifier.parameterSpecs, shorts: ["top": "k"]),
        discussion: "Uses the checkpoint 'mobilenet_v2' (get it with 'mlwb checkpoints get mobilenet_v2'). "
            + "Images are preprocessed as torchvision does: shorter side 256 (antialiased bilinear), centre crop 224.",
        examples: ["mlwb classify photo.png", "mlwb classify --top 3 a.png b.png"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let parameters = try ParameterOptions.read(Classifier.parameterSpecs, from: arguments)
        let top = parameters.int("top") ?? 5
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
}
