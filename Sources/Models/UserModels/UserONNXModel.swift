import Audio
import Engine
import Foundation
import Media
import MIDI
import ONNX

// MARK: - A user's ONNX model

/// A user's `.onnx` file run with a declared task ("bring your own model").
///
/// - `classify`: one NCHW float input (1 or 3 channels); the image is scaled to cover the input size (from the
///   model's input shape, else the sidecar's `inputSize`, else 224×224) and centre-cropped, ImageNet-normalised
///   unless the sidecar says `"normalization": "none"`. The output (`[1, C]`, `[C]` or `[1, C, 1, 1]`) is soft-maxed
///   unless it already is a distribution (non-negative, summing to 1); labels come from `NAME.labels.txt`
///   (one per line) or read "class N".
/// - `image-to-image`: NCHW float in 0…1 in, NCHW out (1 channel = grey, 3+ = RGB), clamped to 0…1. The input size
///   is the model's (or the sidecar's) or else the image's own. With `keep-size` (default) the result is scaled
///   back so it relates to the original image as the model's output relates to its input (×1 for filters,
///   ×4 for a 4× upscaler).
/// - `audio-to-notes`: mono audio at the sidecar's `sampleRate` (default 22,050 Hz) as `[N]`, `[1, N]` or `[1, N, 1]`;
///   a fixed sample dimension means the audio is cut into consecutive windows of that length (the last zero-padded).
///   The output is read as a `[frames, 88]` posteriorgram over the piano keys (MIDI 21–108), frames spread evenly
///   over each window. A note is a run of frames at or above `threshold` lasting at least `min-note-ms`;
///   its velocity follows the mean posterior. Simple on purpose: no onset model, no pitch bends.
///
/// The weights are not kept in memory: every run loads the file again, so a registry full of user models is cheap.
public struct UserONNXModel: Model {
    /// The tasks a user model can declare.
    public static let supportedTasks: [ModelTask] = [.classify, .imageToImage, .audioToNotes]
    /// Classifier input size when neither the model nor the sidecar gives one.
    public static let defaultImageSize = 224
    /// Sample rate of an audio-to-notes model unless the sidecar gives one.
    public static let defaultSampleRate = 22_050
    /// Piano keys in a note posteriorgram, and the MIDI pitch of the first.
    public static let pianoKeys = 88
    public static let lowestPitch = 21

    public let id: String
    public let name: String
    public let task: ModelTask
    public let checkpointIDs: [String] = []
    /// The .onnx file.
    public let path: String
    /// What the sidecar says (or what was inferred for a bare .onnx file).
    public let spec: UserModelSpec
    /// Class labels from `NAME.labels.txt`, if present.
    public let labels: [String]?
    /// The model's single input and the output that is used (its first).
    public let inputName: String
    public let inputShape: [Int?]
    public let outputName: String
    public let outputShape: [Int?]?

    /// Loads and checks the model at `path` for the sidecar's task; `id` defaults to the file name without `.onnx`.
    public init(path: String, spec: UserModelSpec, id: String? = nil) throws {
        let task = try spec.modelTask()
        let onnx = try Self.loadONNX(path)
        let io = try Self.check(onnx, task: task, spec: spec, deep: false)
        self.init(path: path, spec: spec, task: task, io: io, id: id)
    }

    init(path: String, spec: UserModelSpec, task: ModelTask, io: IO, id: String?) {
        let stem = Self.stem(of: path)
        self.id = id ?? stem
        self.name = spec.name ?? self.id
        self.task = task
        self.path = path
        self.spec = spec
        self.inputName = io.inputName
        self.inputShape = io.input
        self.outputName = io.outputName
        self.outputShape = io.output
        self.labels = Self.readLabels(Self.sidecarBase(of: path) + ".labels.txt")
    }

    public var summary: String {
        let what: String
        switch task {
        case .classify: what = "classifies images" + (labels.map { " into \($0.count) labelled classes" } ?? "")
        case .imageToImage: what = "turns an image into an image"
        case .audioToNotes: what = "turns \(spec.sampleRate ?? Self.defaultSampleRate) Hz mono audio into piano notes"
        case .pitch: what = "tracks pitch"
        case .audioToChords: what = "recognises chords"
        case .audioToBeats: what = "tracks beats"
        }
        func dims(_ d: [Int?]) -> String { "[" + d.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]" }
        return "Your ONNX model \(Self.fileName(path)): \(what). Input \(inputName) \(dims(inputShape)), output \(outputName) "
            + (outputShape.map(dims) ?? "[?]") + "."
    }

    public var parameters: [ModelParameter] { Self.parameterSpecs(task) }

    /// The parameters of a task.
    public static func parameterSpecs(_ task: ModelTask) -> [ModelParameter] {
        switch task {
        case .classify:
            return [ModelParameter("top", label: "Top classes", kind: .int(1...1000), default: .int(5),
                                   help: "How many of the most likely classes to report")]
        case .imageToImage:
            return [ModelParameter("keep-size", label: "Keep size", kind: .bool, default: .bool(true),
                                   help: "Scale the result back to the original image's size (times the model's own scale)")]
        case .audioToNotes:
            return [ModelParameter("threshold", label: "Note threshold", kind: .double(0...1), default: .double(0.5),
                                   help: "Posterior a frame needs for its key to sound"),
                    ModelParameter("min-note-ms", label: "Shortest note (ms)", kind: .double(0...10_000), default: .double(50),
                                   help: "Shorter runs of frames are dropped")]
        case .pitch, .audioToChords, .audioToBeats:
            return []
        }
    }

    // MARK: Task and shape checks

    /// The task named `text` ("classify", "image-to-image", "audio-to-notes").
    public static func parseTask(_ text: String) throws -> ModelTask {
        guard let task = ModelTask(rawValue: text), supportedTasks.contains(task) else { throw UserModelError.unknownTask(text) }
        return task
    }

    /// Names and shapes of the input and the output used (nil = dimension or shape unknown).
    struct IO: Sendable {
        var inputName: String
        var input: [Int?]
        var outputName: String
        var output: [Int?]?
    }

    /// Reads an ONNX file; anything that is not a loadable model becomes `notONNX`.
    static func loadONNX(_ path: String) throws -> ONNXModel {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw UserModelError.notONNX(path: path, reason: "no such file or not readable")
        }
        do { return try ONNXModel.load(path: path) } catch {
            throw UserModelError.notONNX(path: path, reason: String(describing: error))
        }
    }

    /// Checks that the model's input and output ranks fit `task`. With `deep`, a model with a static input shape is
    /// also specialised (every op lowered, the output shape inferred) so problems surface now rather than at the first run.
    static func check(_ model: ONNXModel, task: ModelTask, spec: UserModelSpec?, deep: Bool) throws -> IO {
        func mismatch(_ detail: String) -> UserModelError { .shapeMismatch(task: task.rawValue, detail: detail) }
        guard supportedTasks.contains(task) else { throw UserModelError.unknownTask(task.rawValue) }
        let inputs = model.inputs
        guard inputs.count == 1, let input = inputs.first else {
            throw mismatch("a user model needs exactly one input; this one has \(inputs.count) (\(inputs.map(\.name).joined(separator: ", ")))")
        }
        guard input.dataType == .float else {
            throw mismatch("input '\(input.name)' is \(input.dataType.map { "\($0)" } ?? "untyped"), not FLOAT")
        }
        guard let output = model.outputs.first else { throw mismatch("the model declares no output") }
        let inDims: [Int?]? = input.shape.map { $0.map(\.value) }
        var outDims: [Int?]? = output.shape.map { $0.map(\.value) }
        if deep, let inDims, inDims.allSatisfy({ $0 != nil }) {
            do {
                let session = try ONNXSession(model)
                if let shape = try session.outputShapes(for: [input.name: inDims.map { $0! }])[output.name] { outDims = shape }
            } catch {
                throw UserModelError.notONNX(path: "the model", reason: "it cannot run on its declared input shape: \(error)")
            }
        }
        func describe(_ d: [Int?]?) -> String { d.map { "[" + $0.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]" } ?? "[?]" }
        let inText = "input '\(input.name)' \(describe(inDims))", outText = "output '\(output.name)' \(describe(outDims))"

        switch task {
        case .classify, .imageToImage:
            guard let d = inDims, d.count == 4 else { throw mismatch("needs a 4-D NCHW image input, got \(inText)") }
            if let c = d[1], c != 1, c != 3 { throw mismatch("needs a 1- or 3-channel image input, got \(inText)") }
            if let n = d[0], n != 1 { throw mismatch("needs a batch of 1, got \(inText)") }
            if task == .classify {
                if let o = outDims {
                    let fits = o.count == 1 || (o.count == 2 && (o[0] ?? 1) == 1)
                        || (o.count == 4 && (o[0] ?? 1) == 1 && (o[2] ?? 1) == 1 && (o[3] ?? 1) == 1)
                    guard fits else { throw mismatch("needs class scores ([1, C], [C] or [1, C, 1, 1]), got \(outText)") }
                }
            } else if let o = outDims {
                guard o.count == 4 else { throw mismatch("needs a 4-D NCHW image output, got \(outText)") }
                if let c = o[1], c == 2 || c > 4 { throw mismatch("needs a 1-, 3- or 4-channel image output, got \(outText)") }
            }
        case .audioToNotes:
            guard let d = inDims, (1...3).contains(d.count) else { throw mismatch("needs a mono audio input ([N], [1, N] or [1, N, 1]), got \(inText)") }
            if d.count >= 2, let n = d[0], n != 1 { throw mismatch("needs a batch of 1, got \(inText)") }
            if let o = outDims {
                guard (2...3).contains(o.count) else { throw mismatch("needs a [frames, 88] note posteriorgram, got \(outText)") }
                if let keys = o.last!, keys != pianoKeys { throw mismatch("needs 88 piano keys in the last dimension, got \(outText)") }
            }
        case .pitch, .audioToChords, .audioToBeats:
            throw UserModelError.unknownTask(task.rawValue)
        }
        return IO(inputName: input.name, input: inDims ?? [], outputName: output.name, output: outDims)
    }

    /// The task a bare `.onnx` file (no sidecar) most likely has, from its shapes; nil when unclear.
    static func inferTask(_ model: ONNXModel) -> ModelTask? {
        let fitting = supportedTasks.filter { (try? check(model, task: $0, spec: nil, deep: false)) != nil }
        // A declared [1, C, 1, 1] output fits both image tasks; scores are far likelier than a 1×1 picture.
        if fitting == [.classify, .imageToImage], model.outputs.first?.shape != nil { return .classify }
        // A model with unknown output shape fits several tasks: do not guess.
        return fitting.count == 1 ? fitting[0] : nil
    }

    // MARK: Running

    /// Runs the model synchronously.
    public func predict(_ input: ModelInput, parameters: ModelParameters) throws -> ModelResult {
        let session = try ONNXSession(try Self.loadONNX(path))
        switch (task, input) {
        case (.classify, .image(let image)):
            return .classes(try classify(image, session: session, top: parameters.int("top") ?? 5))
        case (.imageToImage, .image(let image)):
            return .image(try transform(image, session: session, keepSize: parameters.bool("keep-size") ?? true))
        case (.audioToNotes, .audio(let clip)):
            return .notes(try transcribe(clip, session: session, threshold: Float(parameters.double("threshold") ?? 0.5),
                                         minimumDuration: (parameters.double("min-note-ms") ?? 50) / 1000))
        case (.audioToNotes, _):
            throw ModelError.invalidInput("\(id) (\(task.rawValue)) needs audio as input")
        default:
            throw ModelError.invalidInput("\(id) (\(task.rawValue)) needs an image as input")
        }
    }

    public func run(_ input: ModelInput, parameters: ModelParameters, context: ModelContext) -> AsyncStream<ModelEvent> {
        let model = self
        return AsyncStream { continuation in
            let task = Task.detached(priority: .userInitiated) {
                do {
                    continuation.yield(.progress(fraction: 0, status: "running \(model.id)"))
                    let result = try model.predict(input, parameters: parameters)
                    if Task.isCancelled { continuation.finish(); return }
                    continuation.yield(.progress(fraction: 1, status: "done"))
                    continuation.yield(.finished(result))
                } catch {
                    continuation.yield(.failed(String(describing: error)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: Classify

    /// The `top` classes for `image`, best first.
    func classify(_ image: Image, session: ONNXSession, top: Int) throws -> [ClassScore] {
        let (h, w) = imageSize(defaultSize: (Self.defaultImageSize, Self.defaultImageSize))
        let channels = inputShape.count == 4 ? (inputShape[1] ?? 3) : 3
        let fitted = try Self.cover(image, width: w, height: h)
        let imagenet = (spec.normalization ?? "imagenet").lowercased() != "none"
        let tensor = Self.planar(fitted, channels: channels, mean: imagenet ? MobileNetV2.mean : nil, std: imagenet ? MobileNetV2.std : nil)
        let out = try session.run([inputName: tensor])
        guard let scores = out[outputName]?.scalars, !scores.isEmpty else { throw ModelError.invalidInput("\(id) returned no scores") }
        let probabilities = Self.isDistribution(scores) ? scores : Classifier.softmax(scores)
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        return order.prefix(max(0, top)).map { i in
            let label = labels.flatMap { i < $0.count && !$0[i].isEmpty ? $0[i] : nil } ?? "class \(i)"
            return ClassScore(index: i, label: label, probability: probabilities[i])
        }
    }

    /// Whether `values` already are probabilities (non-negative, summing to 1 within 1e-3).
    public static func isDistribution(_ values: [Float]) -> Bool {
        guard values.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return false }
        return abs(values.reduce(0.0) { $0 + Double($1) } - 1) < 1e-3
    }

    // MARK: Image to image

    /// The model's output for `image` as an image.
    func transform(_ image: Image, session: ONNXSession, keepSize: Bool) throws -> Image {
        let (h, w) = imageSize(defaultSize: (image.height, image.width))
        let channels = inputShape.count == 4 ? (inputShape[1] ?? 3) : 3
        let resized = (w == image.width && h == image.height) ? image : image.resized(width: w, height: h)
        let out = try session.run([inputName: Self.planar(resized, channels: channels, mean: nil, std: nil)])
        guard let tensor = out[outputName] else { throw ModelError.invalidInput("\(id) returned no output '\(outputName)'") }
        var result = try Self.image(fromNCHW: tensor)
        if keepSize, w != image.width || h != image.height {
            let sx = Double(result.width) / Double(w), sy = Double(result.height) / Double(h)
            result = result.resized(width: max(1, Int((Double(image.width) * sx).rounded())),
                                    height: max(1, Int((Double(image.height) * sy).rounded())))
        }
        return result
    }

    /// Input height and width: the model's fixed dimensions, else the sidecar's `inputSize`, else `defaultSize`.
    func imageSize(defaultSize: (Int, Int)) -> (Int, Int) {
        let sides = 1...UserModelSpec.maxInputSide
        if inputShape.count == 4, let h = inputShape[2], let w = inputShape[3], sides.contains(h), sides.contains(w) { return (h, w) }
        if let s = spec.inputSize, s.count == 2, sides.contains(s[0]), sides.contains(s[1]) { return (s[0], s[1]) }
        return defaultSize
    }

    /// `image` scaled to cover `width × height` and centre-cropped to it.
    static func cover(_ image: Image, width: Int, height: Int) throws -> Image {
        if image.width == width, image.height == height { return image }
        let scale = max(Double(width) / Double(image.width), Double(height) / Double(image.height))
        let rw = max(width, Int((Double(image.width) * scale).rounded())), rh = max(height, Int((Double(image.height) * scale).rounded()))
        return try image.resized(width: rw, height: rh).centerCropped(width: width, height: height)
    }

    /// A `[1, C, H, W]` tensor of `image` (C = 1: luminance; C = 3: RGB), optionally `(x − mean) / std` per channel.
    public static func planar(_ image: Image, channels: Int, mean: [Float]?, std: [Float]?) -> Tensor {
        let plane = image.width * image.height, stride = image.channels
        var data = [Float](repeating: 0, count: channels * plane)
        let gray = channels == 1 ? image.luminance() : []
        for c in 0..<channels {
            let m = mean.map { $0[min(c, $0.count - 1)] } ?? 0
            let s = std.map { $0[min(c, $0.count - 1)] } ?? 1
            for i in 0..<plane {
                let v = channels == 1 ? gray[i] : image.pixels[i * stride + min(c, 2)]
                data[c * plane + i] = (v - m) / s
            }
        }
        return Tensor(shape: [1, channels, image.height, image.width], scalars: data)
    }

    /// An image from an NCHW (or CHW) tensor in 0…1: 1 channel is grey, 3 or more are RGB (a 4th is alpha).
    public static func image(fromNCHW tensor: Tensor) throws -> Image {
        var shape = tensor.shape
        if shape.count == 4 {
            guard shape[0] == 1 else { throw ModelError.invalidInput("the model returned a batch of \(shape[0]) images; expected 1") }
            shape.removeFirst()
        }
        guard shape.count == 3, [1, 3, 4].contains(shape[0]), shape[1] > 0, shape[2] > 0 else {
            throw ModelError.invalidInput("the model's output \(tensor.shape) is not a 1-, 3- or 4-channel NCHW image")
        }
        let (c, h, w) = (shape[0], shape[1], shape[2])
        try Image.checkSize(width: w, height: h, source: "model output")
        let s = tensor.scalars, plane = h * w
        let alpha = c == 4
        let outChannels = alpha ? 4 : 3
        var pixels = [Float](repeating: 0, count: plane * outChannels)
        for i in 0..<plane {
            for k in 0..<outChannels {
                let v = s[(c == 1 ? 0 : k) * plane + i]
                pixels[i * outChannels + k] = v.isFinite ? min(max(v, 0), 1) : 0
            }
        }
        return Image(width: w, height: h, hasAlpha: alpha, pixels: pixels)
    }

    // MARK: Audio to notes

    /// Notes for `clip` (mixed to mono, resampled to the model's rate, run window by window).
    func transcribe(_ clip: AudioClip, session: ONNXSession, threshold: Float, minimumDuration: Double) throws -> [NoteEvent] {
        let rate = spec.sampleRate.flatMap { AudioClip.supportedSampleRates.contains($0) ? $0 : nil } ?? Self.defaultSampleRate
        let samples = clip.mono().resampled(to: rate).samples
        guard !samples.isEmpty else { return [] }
        // The sample axis: the last one, unless that is a fixed 1 (`[1, N, 1]`).
        let rank = max(1, inputShape.count)
        let axis = rank == 3 && inputShape[2] == 1 ? 1 : rank - 1
        let window = (axis < inputShape.count ? inputShape[axis] : nil) ?? samples.count
        guard window > 0 else { throw ModelError.invalidInput("\(id) declares an empty audio input") }
        var rows: [[Float]] = []
        var frameDuration = 0.0
        var start = 0
        while start < samples.count {
            if Task.isCancelled { throw CancellationError() }
            var chunk = Array(samples[start..<min(samples.count, start + window)])
            if chunk.count < window { chunk += [Float](repeating: 0, count: window - chunk.count) }
            var shape = [Int](repeating: 1, count: rank)
            shape[axis] = window
            let out = try session.run([inputName: Tensor(shape: shape, scalars: chunk)])
            guard let values = out[outputName]?.scalars, !values.isEmpty, values.count % Self.pianoKeys == 0 else {
                throw ModelError.invalidInput("\(id)'s output '\(outputName)' is not a [frames, 88] posteriorgram")
            }
            let frames = values.count / Self.pianoKeys
            frameDuration = Double(window) / Double(frames) / Double(rate)
            for f in 0..<frames { rows.append(Array(values[(f * Self.pianoKeys)..<((f + 1) * Self.pianoKeys)])) }
            start += window
        }
        // Drop the frames that only cover the zero padding.
        let keep = Int((Double(samples.count) / Double(rate) / frameDuration).rounded(.up))
        if rows.count > keep { rows.removeLast(rows.count - keep) }
        return Self.notes(posteriorgram: rows, frameDuration: frameDuration, threshold: threshold, minimumDuration: minimumDuration)
    }

    /// Notes from a `[frames, 88]` posteriorgram: each run of frames at or above `threshold` on a key is a note
    /// (MIDI 21 + key) from its first frame's start to its last frame's end, kept if at least `minimumDuration`
    /// seconds long; velocity = 127 × the run's mean posterior (at least 1). Sorted by start, then pitch.
    public static func notes(posteriorgram rows: [[Float]], frameDuration: Double, threshold: Float, minimumDuration: Double) -> [NoteEvent] {
        var notes: [NoteEvent] = []
        for key in 0..<pianoKeys {
            var runStart: Int?
            var total: Float = 0
            for f in 0...rows.count {
                let v = f < rows.count && key < rows[f].count ? rows[f][key] : -Float.infinity
                if v >= threshold {
                    if runStart == nil { runStart = f; total = 0 }
                    total += v
                } else if let s = runStart {
                    let start = Double(s) * frameDuration, end = Double(f) * frameDuration
                    if end - start >= minimumDuration - 1e-9 {
                        // (An output of +∞ or 1e38s would overflow the mean: clamp, never convert blindly.)
                        let velocity = (127 * total / Float(f - s)).roundedInt(clampedTo: 1...127) ?? 127
                        notes.append(NoteEvent(pitch: lowestPitch + key, start: start, end: end, velocity: velocity))
                    }
                    runStart = nil
                }
            }
        }
        return notes.sorted { ($0.start, $0.pitch) < ($1.start, $1.pitch) }
    }

    // MARK: Files

    /// `dir/NAME.onnx` → `NAME`.
    static func stem(of path: String) -> String {
        let file = fileName(path)
        return file.lowercased().hasSuffix(".onnx") ? String(file.dropLast(5)) : file
    }

    static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    /// `dir/NAME.onnx` → `dir/NAME` (where `.mlwb.json` and `.labels.txt` are added).
    static func sidecarBase(of path: String) -> String {
        path.lowercased().hasSuffix(".onnx") ? String(path.dropLast(5)) : path
    }

    /// Labels, one per line (trailing blank lines dropped); nil if the file is absent or empty.
    static func readLabels(_ path: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.isEmpty ? nil : lines
    }
}
