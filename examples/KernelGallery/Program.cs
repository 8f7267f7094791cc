// Conv2D in action: the classic hand-made kernels as the filters of one convolution layer,
// run over photographs. Each feature map shows, pixel by pixel, the dot product of a kernel
// with the window around that pixel: bright where the window looks like the kernel.
//
//   dotnet run --project examples/KernelGallery                 both bundled photographs
//   dotnet run --project examples/KernelGallery -- my.jpg -o pictures
using System.CommandLine;
using KernelGallery;

var images = new Argument<FileInfo[]>("images")
{
    Description = "Photographs to run the kernels over (JPEG, PNG, BMP). Default: the bundled china.jpg and flower.jpg.",
    Arity = ArgumentArity.ZeroOrMore,
}.AcceptExistingOnly();
var output = new Option<DirectoryInfo>("--output", "-o")
{
    Description = "Where to write the PNG grids.",
    DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "kernel-gallery")),
};
var quick = new Option<bool>("--quick") { Description = "One photograph only (a smoke test)." };
var command = new RootCommand("Runs hand-made convolution kernels over photographs and writes each feature map as a picture.")
{
    images, output, quick,
};
command.SetAction(parsed => Run(parsed.GetValue(images) ?? [], parsed.GetValue(output)!, parsed.GetValue(quick)));
return command.Parse(args).Invoke();

static int Run(FileInfo[] images, DirectoryInfo output, bool quick)
{
    var paths = images.Length > 0 ? images.Select(image => image.FullName).ToArray() : BundledPhotographs();
    if (quick)
    {
        paths = paths[..1];
    }

    // The network is generated for a 320x480x1 input and 11 filters; the kernels are its weights.
    var network = new GalleryNet();
    HandMadeKernels.WriteInto(network.Conv2d1);
    Console.WriteLine(GalleryNet.Summary);
    Console.WriteLine();

    output.Create();
    var names = HandMadeKernels.All.Select(kernel => kernel.Name).ToArray();
    var maps = new float[GalleryNet.OutputSize];
    foreach (var path in paths)
    {
        var photo = Photo.Load(path);
        network.Forward(photo, maps);
        var picture = Path.Combine(output.FullName, Path.GetFileNameWithoutExtension(path) + "-kernels.png");
        GalleryPicture.Save(picture, $"{Path.GetFileName(path)}: one Conv2D layer, {names.Length} hand-made kernels, 'same' padding. Bright = high dot product.",
            photo, maps, names);
        Console.WriteLine($"{Path.GetFileName(path)} -> {picture}");
    }

    return 0;
}

// The photographs ship next to the program (data/), copied there by the project file.
static string[] BundledPhotographs() =>
    new[] { "china.jpg", "flower.jpg" }.Select(name => Path.Combine(AppContext.BaseDirectory, "data", name)).ToArray();
