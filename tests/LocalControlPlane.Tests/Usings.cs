namespace CallImport.LocalControlPlane.Tests;
