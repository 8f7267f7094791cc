// cnngen: the .cnn compiler on the command line. Everything happens in CliApp, which tests call in-process.
return CnnGen.Cli.CliApp.Run(args, Console.Out, Console.Error);
