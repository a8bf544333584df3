using PoeStreams.Contracts.Generator;

// Usage: PoeStreams.Contracts.Generator <schema dir> <output dir>
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: PoeStreams.Contracts.Generator <schema directory> <output directory>");
    return 2;
}

var (schemaDirectory, outputDirectory) = (args[0], args[1]);
var files = ContractsCodeGenerator.Generate(schemaDirectory);
Directory.CreateDirectory(outputDirectory);
foreach (var stale in Directory.GetFiles(outputDirectory, "*.cs").Where(p => !files.ContainsKey(Path.GetFileName(p))))
{
    File.Delete(stale);
}

foreach (var (name, text) in files)
{
    File.WriteAllText(Path.Combine(outputDirectory, name), text);
}

Console.WriteLine($"{files.Count} types generated from {schemaDirectory} into {outputDirectory}");
return 0;
