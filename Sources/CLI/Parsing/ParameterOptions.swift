import Models

/// The command-line face of a model's typed parameters: one option per `ModelParameter` (its name,
/// range, default and help, never restated by hand), read back into `ModelParameters`. Yes/no
/// parameters become flags: `--pitch-bends` turns one on, `--no-melodia-trick` turns one off.
enum ParameterOptions {
    // MARK: Specs

    /// The options for `parameters`; `valueNames` overrides the value placeholder and `shorts` adds a
    /// one-letter form, per parameter name.
    static func specs(_ parameters: [ModelParameter], valueNames: [String: String] = [:],
                      shorts: [String: Character] = [:]) -> [OptionSpec] {
        parameters.map { parameter in
            var option = spec(for: parameter, valueName: valueNames[parameter.name])
            option.short = shorts[parameter.name]
            return option
        }
    }

    /// The option for one parameter.
    static func spec(for parameter: ModelParameter, valueName: String? = nil) -> OptionSpec {
        let value: String?
        var range: String?
        switch parameter.kind {
        case .int(let r): value = "N"; range = OptionValue.rangeText(r)
        case .double(let r): value = "X"; range = OptionValue.rangeText(r)
        case .bool: value = nil
        case .choice(let choices):
            value = choices.count <= 3 ? choices.joined(separator: "|") : "NAME"
            if choices.count > 3 { range = choices.count <= 8 ? choices.joined(separator: ", ") : "\(choices.first!) … \(choices.last!)" }
        case .text: value = "TEXT"
        case .path(let kind): value = kind.uppercased() + ".png"
        }
        var defaultText: String?
        switch parameter.defaultValue {
        case .bool(let on): defaultText = on ? "on" : "off"
        case .string(let text): defaultText = text.isEmpty ? nil : text
        case .double(let v): defaultText = OptionValue.format(v)
        case .int(let v): defaultText = String(v)
        }
        let isBool = parameter.kind == .bool
        return OptionSpec(parameter.name, value: isBool ? nil : (valueName ?? value), help: parameter.help, defaultText: defaultText,
                          rangeText: range, negatable: isBool && parameter.defaultValue == .bool(true))
    }

    // MARK: Reading

    /// The parameters' values: each given option parsed and checked by its `ModelParameter`, the rest defaulted.
    static func read(_ parameters: [ModelParameter], from arguments: ParsedArguments) throws -> ModelParameters {
        var values = ModelParameters(defaults: parameters)
        for parameter in parameters {
            guard let text = arguments.texts(parameter.name).last else { continue }
            if parameter.kind == .bool {
                values.set(parameter.name, .bool(text == "true"))
                continue
            }
            do {
                values.set(parameter.name, try parameter.parse(text))
            } catch let error as ParameterError {
                throw UsageError("--" + error.message)
            }
        }
        return values
    }
}
