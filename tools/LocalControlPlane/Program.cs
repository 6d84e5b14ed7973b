// Placeholder until the local control plane lands.
return 0;
