namespace CallImport.Operator.Tests;
