import Canvas

/// ml4a's canvas mods as typed options: flat on `mlwb canvas` (`--zoom 1.02`) and inline in
/// `--mod zoom=1.02,rot-const=0.01`. Defaults leave the image unchanged.
enum CanvasModOptions {
    static let zoom = Option<Double>("zoom", value: "Z", default: 1, help: "Zoom per frame (1.02 zooms in 2%)")
    static let shift = Option<Vec2>("shift", point: .zero, help: "Shift per frame, as fractions of the size")
    static let stretch = Option<Vec2>("stretch", point: .one, help: "Stretch per frame")
    static let center = Option<Vec2>("center", point: .center, help: "Centre of zoom and rotation")
    static let expand = Option<Double>("expand", value: "PX", default: 0, help: "Push pixels away from the centre by PX pixels")
    static let rotConst = Option<Double>("rot-const", value: "RAD", default: 0, help: "Rotation per frame in radians")
    static let rotAng = Option<Double>("rot-ang", value: "A", default: 0, help: "Rotation proportional to the angle around the centre")
    static let rotDst = Option<Double>("rot-dst", value: "R", default: 0,
                                       help: "Rotation proportional to the distance from the centre (radians per pixel)")
    static let spiralMargin = Option<Double>("spiral-margin", value: "M", default: 0, help: "Spiral strength")
    static let spiralPeriods = Option<Double>("spiral-periods", value: "P", default: 0, help: "Spiral arms")
    static let noiseRate = Option<Vec2>("noise-rate", point: .zero, help: "Noise displacement frequency")
    static let noiseMargin = Option<Vec2>("noise-margin", point: .zero, help: "Noise displacement in pixels")
    static let noiseOffset = Option<Vec2>("noise-offset", point: Vec2(x: -10, y: 10), help: "Where in the noise field to read")

    /// Every mod option, in help order.
    static let specs: [OptionSpec] = [zoom.spec, shift.spec, stretch.spec, center.spec, expand.spec, rotConst.spec, rotAng.spec,
                                      rotDst.spec, spiralMargin.spec, spiralPeriods.spec, noiseRate.spec, noiseMargin.spec,
                                      noiseOffset.spec]

    /// Whether any mod option is among `arguments`.
    static func anyGiven(in arguments: ParsedArguments) -> Bool { specs.contains { arguments.contains($0.long) } }

    /// The mod the options describe (validated).
    static func mod(_ arguments: ParsedArguments) throws -> CanvasMod {
        let mod = CanvasMod(center: try arguments[center], shift: try arguments[shift], stretch: try arguments[stretch],
                            zoom: try arguments[zoom], expand: try arguments[expand], rotConst: try arguments[rotConst],
                            rotAng: try arguments[rotAng], rotDst: try arguments[rotDst], spiralMargin: try arguments[spiralMargin],
                            spiralPeriods: try arguments[spiralPeriods], noiseRate: try arguments[noiseRate],
                            noiseMargin: try arguments[noiseMargin], noiseOffset: try arguments[noiseOffset])
        do { try mod.validate() } catch { throw UsageError("\(error)") }
        return mod
    }

    /// A mod from an inline `key=value,…` list.
    static func mod(inline text: String) throws -> CanvasMod {
        try mod(ParsedArguments(pairs: ParsedArguments.splitPairs(text), accepting: specs, owner: "--mod"))
    }
}
