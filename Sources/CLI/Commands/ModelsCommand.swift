import Audio
import Foundation
import Media
import MIDI
import Models

/// `mlwb models list|add|rm|run`: built-in and user ONNX models.
enum ModelsCommand: CommandGroup {
    static let spec = CommandSpec(
        name: "models",
        abstract: "List models, add or remove your own ONNX models, run any model on a file",
        discussion: "User models live in ${MLWB_HOME:-$XDG_CACHE_HOME/mlwb}/models as ID.onnx with ID.mlwb.json (the task) and, "
            + "for classifiers, ID.labels.txt (one class name per line; copied from FILE.labels.txt by add). "
            + "classify: NCHW float input (size from the model, else 224), ImageNet normalisation, softmax unless the output "
            + "already sums to 1. image-to-image: NCHW float 0–1 in and out. audio-to-notes: mono audio in, a [frames, 88] "
            + "piano-key posteriorgram out, notes where it reaches --param threshold=0.5.",
        examples: ["mlwb models list", "mlwb models add style.onnx --task image-to-image --name mosaic",
                   "mlwb models run mosaic photo.png -o mosaic.png", "mlwb models run classify-mobilenet-v2 cat.png -o cat.csv",
                   "mlwb models add piano.onnx --task audio-to-notes --sample-rate 16000",
                   "mlwb models run piano song.wav -o song.mid -p threshold=0.4", "mlwb models rm mosaic"])

    static let subcommands: [any Command.Type] = [List.self, Add.self, Remove.self, Run.self]
    static let defaultSubcommand: (any Command.Type)? = List.self

    enum List: Command {
        static let verbose = Option<Bool>(flag: "verbose", short: "v", help: "Also show each model's summary and parameters")
        static let spec = CommandSpec(name: "list", aliases: ["ls"], abstract: "Built-in and user models with their checkpoints' status",
                                      options: [verbose.spec])
        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            try ModelsCommand.list(UserModelStore(environment: context.environment), verbose: try arguments[verbose], context)
        }
    }

    enum Add: Command {
        static let task = Option<String?>("task", choices: UserONNXModel.supportedTasks.map(\.rawValue),
                                          help: "What the model does (required)")
        static let name = Option<String?>("name", value: "NAME", help: "The model's id and display name (default: the file name)")
        static let inputSize: Option<[Int]?> = .single(
            OptionSpec("input-size", value: "HxW", help: "Input size for image models whose input shape is dynamic"), fallback: nil) { text in
            let parts = text.lowercased().split(separator: "x").map { Int($0) }
            guard parts.count == 2, let h = parts[0], let w = parts[1], (1...16_384).contains(h), (1...16_384).contains(w) else {
                throw UsageError("--input-size expects HxW in whole pixels, e.g. 256x256, got '\(text)'")
            }
            return [h, w]
        }
        static let sampleRate = Option<Int?>("sample-rate", value: "HZ", in: 1_000...384_000,
                                             help: "The sample rate of an audio-to-notes model (default 22050)")
        static let noNormalize = Option<Bool>(flag: "no-normalize", help: "Feed a classifier pixels in 0…1 instead of ImageNet-normalised ones")
        static let spec = CommandSpec(name: "add", abstract: "Add your own ONNX model to the registry",
                                      positionals: [.init("FILE", "The .onnx file")],
                                      options: [task.spec, name.spec, inputSize.spec, sampleRate.spec, noNormalize.spec])

        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            guard let taskName = try arguments[self.task] else {
                throw UsageError("'models add' needs --task (\(UserONNXModel.supportedTasks.map(\.rawValue).joined(separator: ", ")))")
            }
            let task: ModelTask
            do { task = try UserONNXModel.parseTask(taskName) } catch let error as UserModelError { throw UsageError(error.description) }
            var extra = UserModelSpec(task: task)
            extra.inputSize = try arguments[inputSize]
            extra.sampleRate = try arguments[sampleRate]
            if try arguments[noNormalize] { extra.normalization = "none" }
            let store = UserModelStore(environment: context.environment)
            let model = try store.add(arguments.positionals[0], task: task, name: try arguments[name], spec: extra)
            context.print("added \(model.id) (\(model.task.rawValue)) → \(model.path)")
            return ExitStatus.success
        }
    }

    enum Remove: Command {
        static let spec = CommandSpec(name: "rm", aliases: ["remove"], abstract: "Remove one of your models",
                                      positionals: [.init("ID", "A user model id")])
        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = UserModelStore(environment: context.environment), id = arguments.positionals[0]
            let ids = store.list().map(\.id)
            guard ids.contains(id) else {
                if ModelRegistry.standard.models.contains(where: { $0.id == id }) {
                    throw UsageError("'\(id)' is a built-in model; only models added with 'mlwb models add' can be removed")
                }
                throw Suggestion.unknownID(id, kind: "user model", among: ids,
                                           hint: ids.isEmpty ? "there are no user models" : "yours: " + ids.joined(separator: ", "))
            }
            try store.remove(id)
            context.print("removed \(id)")
            return ExitStatus.success
        }
    }

    enum Run: Command {
        static let output = Option<String?>("output", short: "o", value: "OUT", output: .file,
                                            help: "Where the result goes (PNG, CSV of classes, MIDI or CSV of notes, CSV of pitch, .lab or CSV of chords)")
        static let parameters = Option<[String]>("param", short: "p", repeating: "KEY=VALUE",
                                                 help: "Set a model parameter (see 'mlwb models list --verbose')")
        static let spec = CommandSpec(name: "run", abstract: "Run any model on an image or audio file",
                                      positionals: [.init("ID", "A model id from 'mlwb models list'"),
                                                    .init("INPUT", "The image or audio file")],
                                      options: [output.spec, parameters.spec])
        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            try ModelsCommand.runModel(id: arguments.positionals[0], input: arguments.positionals[1], arguments,
                                       store: UserModelStore(environment: context.environment), context)
        }
    }

    // MARK: list

    static func list(_ store: UserModelStore, verbose: Bool, _ context: CommandContext) throws -> Int32 {
        let checkpoints = try? CheckpointsSupport.store(context)
        context.print(TextTable.pad("ID", 26) + TextTable.pad("TASK", 16) + "STATUS")
        for model in ModelRegistry.standard.models {
            let states = model.checkpointIDs.map { id -> String in
                let state = (try? checkpoints?.status(id)).map { "\($0)" } ?? "unknown"
                return "\(id): \(state)"
            }
            context.print(TextTable.pad(model.id, 26) + TextTable.pad(model.task.rawValue, 16) + "built-in; " + (states.isEmpty ? "no checkpoints" : states.joined(separator: ", ")))
            if verbose { details(model, context) }
        }
        for entry in store.list() {
            if let model = entry.model {
                context.print(TextTable.pad(model.id, 26) + TextTable.pad(model.task.rawValue, 16) + "user; " + entry.path)
                if verbose { details(model, context) }
            } else {
                context.print(TextTable.pad(entry.id, 26) + TextTable.pad("?", 16) + "skipped: " + (entry.problem ?? "unusable"))
            }
        }
        if verbose { context.print("user models folder: \(store.directory)") }
        return ExitStatus.success
    }

    static func details(_ model: any Model, _ context: CommandContext) {
        context.print("    " + model.summary)
        for p in model.parameters { context.print("    -p \(p.name)=\(p.defaultValue)  \(p.help)") }
    }


    // MARK: run

    static func runModel(id: String, input: String, _ arguments: ParsedArguments, store: UserModelStore, _ context: CommandContext) throws -> Int32 {
        let output = try arguments[Run.output]  // checked before any model or input is loaded
        let registry = ModelRegistry.standard.withUserModels(environment: context.environment) { context.printError("note: \($0)") }
        let model: any Model
        if let found = registry.models.first(where: { $0.id == id }) {
            model = found
        } else if store.list().contains(where: { $0.id == id }) {
            model = try store.model(id)  // a user model that failed to load: say why rather than "unknown"
        } else {
            throw Suggestion.unknownID(id, kind: "model", among: registry.models.map(\.id), hint: "see 'mlwb models list'")
        }
        var parameters = ModelParameters(defaults: model.parameters)
        for pair in try arguments[Run.parameters] {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw UsageError("--param expects KEY=VALUE, got '\(pair)'") }
            let key = String(pair[..<eq]), value = String(pair[pair.index(after: eq)...])
            guard let spec = model.parameters.first(where: { $0.name == key }) else {
                throw UsageError("\(model.id) has no parameter '\(key)'; it has \(model.parameters.map(\.name).joined(separator: ", ").ifEmpty("none"))")
            }
            do { parameters.set(key, try spec.parse(value)) } catch let error as ParameterError { throw UsageError(error.message) }
        }
        if output == nil, model.task != .classify, model.task != .audioToChords, model.task != .audioToBeats { throw UsageError("say where the result goes: -o OUT") }

        let modelInput: ModelInput
        switch model.task {
        case .classify, .imageToImage: modelInput = .image(try Image.load(input))
        case .audioToNotes, .pitch, .audioToChords, .audioToBeats: modelInput = .audio(try AudioFile.load(input))
        }
        let modelContext = try CheckpointsSupport.modelContext(context)
        let settings = parameters
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let result: ModelResult = try BlockingTask.run {
            var outcome: Result<ModelResult, Error>?
            for await event in model.run(modelInput, parameters: settings, context: modelContext) {
                switch event {
                case .finished(let r): outcome = .success(r)
                case .failed(let message): outcome = .failure(ModelError.invalidInput(message))
                default: break
                }
            }
            if Task.isCancelled { throw CancellationError() }
            guard let outcome else { throw ModelError.invalidInput("\(model.id) stopped without a result") }
            return try outcome.get()
        }
        try write(result, to: output, context)
        return ExitStatus.success
    }

    /// Writes a result: an image as PNG, classes as CSV (or printed), notes as MIDI (CSV for .csv), pitch as CSV,
    /// chords as a .lab file (CSV for .csv) after listing them.
    static func write(_ result: ModelResult, to output: String?, _ context: CommandContext) throws {
        switch result {
        case .image(let image):
            guard let output else { return }
            try image.save(output)
            context.print("\(image.width)×\(image.height) image → \(output)")
        case .classes(let scores):
            for s in scores { context.print(String(format: "  %6.2f%%  ", Double(s.probability) * 100) + s.label + "  (\(s.index))") }
            guard let output else { return }
            try ResultFile.write(result, to: output)
            context.print("\(scores.count) classes → \(output)")
        case .notes(let notes):
            guard let output else { return }
            try ResultFile.write(result, to: output)
            context.print("\(notes.count) notes → \(output)")
        case .pitch(let frames):
            guard let output else { return }
            try ResultFile.write(result, to: output)
            context.print("\(frames.count) pitch frames → \(output)")
        case .chords(let segments):
            for s in segments { context.print(ChordsCommand.describe(s)) }
            guard let output else { return }
            try ResultFile.write(result, to: output)
            context.print("\(segments.count) chord segments → \(output)")
        case .beats(let beats, let meter):
            context.print("\(beats.count) beats, \(meter) per bar, \(HumanReadable.fixed(TempoSegments.overall(beats.map(\.time)), digits: 1)) BPM")
            guard let output else { return }
            try ResultFile.write(result, to: output)
            context.print("\(beats.count) beats → \(output)")
        }
    }
}

private extension String {
    func ifEmpty(_ fallback: String) -> String { isEmpty ? fallback : self }
}
