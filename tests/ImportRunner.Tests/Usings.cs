namespace CallImport.ImportRunner.Tests;
