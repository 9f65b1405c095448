import Audio
import Foundation
import Media
import MIDI
import Models

/// `mlwb models list|add FILE --task T [--name N]|rm ID|run ID INPUT -o OUT`: built-in and user ONNX models.
enum ModelsCommand: Command {
    static let spec = CommandSpec(
        name: "models",
        abstract: "List models, add or remove your own ONNX models, run any model on a file",
        positionals: [
            .init("ACTION", "list, add FILE.onnx, rm ID or run ID INPUT", optional: true),
            .init("ARG", "A model file or id, then (for run) the input image or audio", optional: true, variadic: true),
        ],
        options: [
            .init("task", value: "TASK", "With add: classify, image-to-image or audio-to-notes"),
            .init("name", value: "NAME", "With add: the model's id and display name (default: the file name)"),
            .init("input-size", value: "HxW", "With add: input size for image models whose input shape is dynamic"),
            .init("sample-rate", value: "HZ", "With add: the sample rate of an audio-to-notes model (default 22050)"),
            .init("no-normalize", "With add: feed a classifier pixels in 0…1 instead of ImageNet-normalised ones"),
            .init("output", short: "o", value: "OUT", "With run: where the result goes (PNG, CSV of classes, MIDI or CSV of notes)"),
            .init("param", short: "p", value: "KEY=VALUE", repeatable: true, "With run: set a model parameter (see 'models list --verbose')"),
            .init("verbose", short: "v", "With list: also show each model's summary and parameters"),
        ],
        discussion: "User models live in ${MLWB_HOME:-$XDG_CACHE_HOME/mlwb}/models as ID.onnx with ID.mlwb.json (the task) and, "
            + "for classifiers, ID.labels.txt (one class name per line; copied from FILE.labels.txt by add). "
            + "classify: NCHW float input (size from the model, else 224), ImageNet normalisation, softmax unless the output "
            + "already sums to 1. image-to-image: NCHW float 0–1 in and out. audio-to-notes: mono audio in, a [frames, 88] "
            + "piano-key posteriorgram out, notes where it reaches --param threshold=0.5.",
        examples: ["mlwb models list", "mlwb models add style.onnx --task image-to-image --name mosaic",
                   "mlwb models run mosaic photo.png -o mosaic.png", "mlwb models run classify-mobilenet-v2 cat.png -o cat.csv",
                   "mlwb models add piano.onnx --task audio-to-notes --sample-rate 16000",
                   "mlwb models run piano song.wav -o song.mid -p threshold=0.4", "mlwb models rm mosaic"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let action = arguments.positionals.first ?? "list"
        let args = Array(arguments.positionals.dropFirst())
        let store = UserModelStore(environment: context.environment)
        func need(_ count: Int, _ what: String) throws {
            guard args.count == count else { throw UsageError("'models \(action)' needs \(what)") }
        }
        switch action {
        case "list", "ls":
            try need(0, "no further arguments")
            return try list(store, verbose: arguments.flag("verbose"), context)

        case "add":
            try need(1, "one FILE.onnx")
            guard let taskName = arguments.value("task") else {
                throw UsageError("'models add' needs --task (\(UserONNXModel.supportedTasks.map(\.rawValue).joined(separator: ", ")))")
            }
            let task: ModelTask
            do { task = try UserONNXModel.parseTask(taskName) } catch let error as UserModelError { throw UsageError(error.description) }
            var extra = UserModelSpec(task: task)
            if arguments.value("input-size") != nil {
                let (h, w) = try arguments.pair("input-size", default: (0, 0))
                guard h >= 1, w >= 1, h <= 16_384, w <= 16_384, h == h.rounded(), w == w.rounded() else {
                    throw UsageError("--input-size expects HxW in whole pixels, e.g. 256x256")
                }
                extra.inputSize = [Int(h), Int(w)]
            }
            if arguments.value("sample-rate") != nil {
                extra.sampleRate = try arguments.int("sample-rate", default: UserONNXModel.defaultSampleRate, in: 1_000...384_000)
            }
            if arguments.flag("no-normalize") { extra.normalization = "none" }
            let model = try store.add(args[0], task: task, name: arguments.value("name"), spec: extra)
            context.print("added \(model.id) (\(model.task.rawValue)) → \(model.path)")
            return ExitStatus.success

        case "rm", "remove":
            try need(1, "a model ID")
            try store.remove(args[0])
            context.print("removed \(args[0])")
            return ExitStatus.success

        case "run":
            try need(2, "a model ID and an INPUT file")
            return try runModel(id: args[0], input: args[1], arguments, store: store, context)

        default:
            throw UsageError("unknown action '\(action)'; use list, add, rm or run")
        }
    }

    // MARK: list

    static func list(_ store: UserModelStore, verbose: Bool, _ context: CommandContext) throws -> Int32 {
        let checkpoints = try? CheckpointsSupport.store(context)
        context.print(pad("ID", 26) + pad("TASK", 16) + "STATUS")
        for model in ModelRegistry.standard.models {
            let states = model.checkpointIDs.map { id -> String in
                let state = (try? checkpoints?.status(id)).map { "\($0)" } ?? "unknown"
                return "\(id): \(state)"
            }
            context.print(pad(model.id, 26) + pad(model.task.rawValue, 16) + "built-in; " + (states.isEmpty ? "no checkpoints" : states.joined(separator: ", ")))
            if verbose { details(model, context) }
        }
        for entry in store.list() {
            if let model = entry.model {
                context.print(pad(model.id, 26) + pad(model.task.rawValue, 16) + "user; " + entry.path)
                if verbose { details(model, context) }
            } else {
                context.print(pad(entry.id, 26) + pad("?", 16) + "skipped: " + (entry.problem ?? "unusable"))
            }
        }
        if verbose { context.print("user models folder: \(store.directory)") }
        return ExitStatus.success
    }

    static func details(_ model: any Model, _ context: CommandContext) {
        context.print("    " + model.summary)
        for p in model.parameters { context.print("    -p \(p.name)=\(p.defaultValue)  \(p.help)") }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    // MARK: run

    static func runModel(id: String, input: String, _ arguments: ParsedArguments, store: UserModelStore, _ context: CommandContext) throws -> Int32 {
        let registry = ModelRegistry.standard.withUserModels(environment: context.environment) { context.printError("note: \($0)") }
        let model: any Model
        do { model = try registry.model(id) } catch {
            // A user model that failed to load: say why rather than "unknown".
            if store.list().contains(where: { $0.id == id }) { model = try store.model(id) } else { throw error }
        }
        var parameters = ModelParameters(defaults: model.parameters)
        for pair in arguments.all("param") {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw UsageError("--param expects KEY=VALUE, got '\(pair)'") }
            let key = String(pair[..<eq]), value = String(pair[pair.index(after: eq)...])
            guard let spec = model.parameters.first(where: { $0.name == key }) else {
                throw UsageError("\(model.id) has no parameter '\(key)'; it has \(model.parameters.map(\.name).joined(separator: ", ").ifEmpty("none"))")
            }
            do { parameters.set(key, try spec.parse(value)) } catch let error as ParameterError { throw UsageError(error.message) }
        }
        let output = arguments.value("output")
        if output == nil, model.task != .classify { throw UsageError("say where the result goes: -o OUT") }

        let modelInput: ModelInput
        switch model.task {
        case .classify, .imageToImage: modelInput = .image(try Image.load(input))
        case .audioToNotes, .pitch: modelInput = .audio(try AudioFile.load(input))
        }
        let modelContext = try CheckpointsSupport.modelContext(context)
        let settings = parameters
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let result: ModelResult = try CheckpointsSupport.blocking {
            var outcome: Result<ModelResult, Error>?
            for await event in model.run(modelInput, parameters: settings, context: modelContext) {
                switch event {
                case .finished(let r): outcome = .success(r)
                case .failed(let message): outcome = .failure(ModelError.invalidInput(message))
                default: break
                }
            }
            if Task.isCancelled { throw Interrupted() }
            guard let outcome else { throw ModelError.invalidInput("\(model.id) stopped without a result") }
            return try outcome.get()
        }
        try write(result, to: output, context)
        return ExitStatus.success
    }

    /// Writes a result: an image as PNG, classes as CSV (or printed), notes as MIDI (CSV for .csv), pitch as CSV.
    static func write(_ result: ModelResult, to output: String?, _ context: CommandContext) throws {
        switch result {
        case .image(let image):
            guard let output else { return }
            try image.save(output)
            context.print("\(image.width)×\(image.height) image → \(output)")
        case .classes(let scores):
            for s in scores { context.print(String(format: "  %6.2f%%  ", Double(s.probability) * 100) + s.label + "  (\(s.index))") }
            guard let output else { return }
            var csv = "rank,index,label,probability\n"
            for (rank, s) in scores.enumerated() {
                let label = s.label.contains(",") || s.label.contains("\"") ? "\"" + s.label.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s.label
                csv += "\(rank + 1),\(s.index),\(label),\(s.probability)\n"
            }
            try AtomicFile.write(Array(csv.utf8), to: output)
            context.print("\(scores.count) classes → \(output)")
        case .notes(let notes):
            guard let output else { return }
            if output.lowercased().hasSuffix(".csv") {
                try AtomicFile.write(Array(TranscribeCommand.csv(notes).utf8), to: output)
            } else {
                try MIDIFile(notes: notes).write(to: output)
            }
            context.print("\(notes.count) notes → \(output)")
        case .pitch(let frames):
            guard let output else { return }
            try AtomicFile.write(Array(PitchCommand.csv(frames).utf8), to: output)
            context.print("\(frames.count) pitch frames → \(output)")
        }
    }
}

private extension String {
    func ifEmpty(_ fallback: String) -> String { isEmpty ? fallback : self }
}
