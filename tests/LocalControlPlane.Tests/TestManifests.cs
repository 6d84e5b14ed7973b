namespace CallImport.LocalControlPlane.Tests;

/// <summary>A small CRD of the tests' own: printer columns, a selectable field, a status subresource.</summary>
internal static class TestManifests
{
    public const string Group = "example.com";
    public const string Plural = "widgets";

    public const string WidgetDefinition = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names:
            plural: widgets
            singular: widget
            kind: Widget
            shortNames: [wd]
            categories: [all]
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
            selectableFields:
            - jsonPath: .spec.color
            additionalPrinterColumns:
            - name: Color
              type: string
              jsonPath: .spec.color
            - name: Size
              type: integer
              jsonPath: .spec.size
            - name: Phase
              type: string
              priority: 1
              jsonPath: .status.phase
            - name: Age
              type: date
              jsonPath: .metadata.creationTimestamp
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
                  status:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
        """;

    public static string Widget(string name, string color, int size, string labels = "app: demo") => $"""
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: {name}
          namespace: default
          labels:
            {labels}
        spec:
          color: {color}
          size: {size}
        """;
}
